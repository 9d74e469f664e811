#include "lint/linter.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "lint/directives.h"
#include "lint/section_linter.h"

namespace migrate::lint {

namespace {

// Line `line` of `sql`, at most 120 bytes (" ..." when cut), for context.
std::string line_text(const std::string& sql, const LineIndex& lines, std::size_t line) {
  const std::size_t begin = lines.line_start(line);
  std::size_t stop = lines.line_end(line);
  bool cut = false;
  if (stop - begin > 120) {
    stop = begin + 120;
    while (stop > begin && (static_cast<unsigned char>(sql[stop]) & 0xC0) == 0x80) --stop;
    cut = true;
  }
  std::string out = sql.substr(begin, stop - begin);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  if (cut) out += " ...";
  return out;
}

bool acknowledged_by_expect_any(RuleId id) {
  return id == RuleId::delete_without_where || id == RuleId::update_without_where ||
         id == RuleId::merge_without_condition;
}

}  // namespace

Linter::Linter(Dialect dialect, Settings settings)
    : settings_(std::move(settings)),
      dialect_(dialect == Dialect::postgres ? make_postgres_linter() : make_sqlite_linter()) {}

Linter::~Linter() = default;

unsigned Linter::default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, 4u);
}

void Linter::lint_all(std::size_t count, const std::function<Source(std::size_t)>& load,
                      std::vector<Finding>& out, unsigned threads) {
  // Small batches: a parse tree is large, and the rules wait for the batch.
  constexpr std::size_t kBatch = 64;
  if (threads == 0) threads = 1;
  std::vector<Source> sources(kBatch);
  std::vector<std::unique_ptr<ParsedSection>> parsed(kBatch);
  std::vector<std::exception_ptr> failed(kBatch);
  for (std::size_t first = 0; first < count; first += kBatch) {
    const std::size_t n = std::min(kBatch, count - first);
    auto work = [&](std::size_t from) {
      for (std::size_t i = from; i < n; i += threads) {
        try {
          sources[i] = load(first + i);
          parsed[i] = dialect_->parse(sources[i]);
        } catch (...) {
          failed[i] = std::current_exception();
        }
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads && t < n; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& t : pool) t.join();
    for (std::size_t i = 0; i < n; ++i) {
      if (failed[i]) std::rethrow_exception(failed[i]);
      lint_section(sources[i], parsed[i].get(), out);
      parsed[i].reset();
    }
  }
}

void Linter::lint(const Source& source, std::vector<Finding>& out) {
  lint_section(source, nullptr, out);
}

void Linter::lint_section(const Source& source, const ParsedSection* parsed,
                          std::vector<Finding>& out) {
  std::vector<StatementHits> statements;
  std::vector<Hit> section_hits;
  dialect_->lint(source, settings_, statements, section_hits, parsed);
  statements_ += statements.size();

  const LineIndex lines(source.sql);
  std::vector<Directive> directives = find_directives(source.sql, lines);
  std::vector<char> claimed(directives.size(), 0);
  const std::size_t first = out.size();

  auto emit = [&](RuleId id, std::size_t offset, std::string message, std::string help) {
    if (!settings_.enabled(id)) return;
    Finding f;
    f.file = source.file;
    f.revision = source.revision;
    const std::size_t line = lines.line_of(offset);
    f.line = source.first_line + static_cast<int>(line);
    f.column = lines.column_of(offset);
    f.rule = rule(id).name;
    f.severity = settings_.severity(id);
    f.message = std::move(message);
    f.help = help.empty() ? rule(id).help : std::move(help);
    f.source_line = line_text(source.sql, lines, line);
    out.push_back(std::move(f));
  };

  for (auto& h : section_hits) emit(h.rule, h.offset, std::move(h.message), std::move(h.help));

  // Directives inside a statement (a function body, say) belong to none.
  std::size_t next_stmt = 0;
  for (std::size_t d = 0; d < directives.size(); ++d) {
    while (next_stmt < statements.size() && statements[next_stmt].end <= directives[d].offset)
      ++next_stmt;
    if (next_stmt < statements.size() && statements[next_stmt].begin <= directives[d].offset)
      claimed[d] = 2;  // inside a statement: not a directive
  }

  std::size_t d_end = 0;  // directives before this index are above earlier statements
  for (auto& st : statements) {
    const std::size_t line = lines.line_of(st.begin);
    // The block of directive lines right above `line`.
    while (d_end < directives.size() && directives[d_end].line < line) ++d_end;
    std::vector<std::size_t> mine;
    std::size_t want = line;
    for (std::size_t d = d_end; d-- > 0;) {
      if (directives[d].line + 1 != want || claimed[d]) break;
      mine.push_back(d);
      want = directives[d].line;
    }
    bool expect_any = false;
    for (std::size_t d : mine) {
      claimed[d] = 1;
      expect_any = expect_any || directives[d].expects_any();
    }
    std::vector<char> used(mine.size(), 0);
    for (auto& h : st.hits) {
      if (!settings_.enabled(h.rule)) continue;
      if (expect_any && acknowledged_by_expect_any(h.rule)) continue;
      if (source.backfill_phase && h.rule == RuleId::update_without_where) continue;
      bool silenced = false;
      for (std::size_t k = 0; k < mine.size(); ++k) {
        const Directive& dir = directives[mine[k]];
        if (dir.kind != Directive::lint_ignore || dir.reason.empty()) continue;
        if (std::find(dir.rules.begin(), dir.rules.end(), rule(h.rule).name) == dir.rules.end())
          continue;
        used[k] = 1;
        silenced = true;
      }
      if (!silenced) emit(h.rule, h.offset, std::move(h.message), std::move(h.help));
    }
    for (std::size_t k = 0; k < mine.size(); ++k) {
      const Directive& dir = directives[mine[k]];
      if (dir.kind != Directive::lint_ignore) continue;
      std::string unknown;
      for (const auto& r : dir.rules)
        if (!find_rule(r)) unknown += (unknown.empty() ? "`" : ", `") + r + "`";
      if (dir.rules.empty() || dir.reason.empty()) {
        emit(RuleId::bad_ignore, dir.offset,
             dir.rules.empty() ? "`-- migrate:lint-ignore` names no rule and gives no reason"
                               : "`-- migrate:lint-ignore` gives no reason: it silences nothing",
             "");
      } else if (!unknown.empty()) {
        emit(RuleId::bad_ignore, dir.offset, "`-- migrate:lint-ignore` names no rule " + unknown,
             "");
      } else if (!used[k]) {
        emit(RuleId::unused_ignore, dir.offset,
             "`-- migrate:lint-ignore` silences nothing: the statement below has no finding of "
             "that rule",
             "");
      }
    }
  }
  for (std::size_t d = 0; d < directives.size(); ++d) {
    if (claimed[d] || directives[d].kind != Directive::lint_ignore) continue;
    emit(RuleId::unused_ignore, directives[d].offset,
         "`-- migrate:lint-ignore` is not on the line right before a statement: it silences "
         "nothing",
         "");
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
}

}  // namespace migrate::lint
