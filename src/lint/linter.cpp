#include "lint/linter.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
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
  // Sections are loaded and parsed ahead, in order, into a window of slots
  // by the other threads; this one runs the rules on each in turn, and
  // parses too while the section it needs next is not ready (on 2 cores
  // the rules take a fraction of one). The window bounds the parse trees
  // held at once.
  constexpr std::size_t kWindow = 256;
  if (count == 0) return;
  struct Slot {
    Source source;
    std::unique_ptr<ParsedSection> parsed;
    std::exception_ptr failed;
    bool ready = false;
  };
  std::vector<Slot> slots(std::min(kWindow, count));
  std::mutex mu;
  std::condition_variable changed;
  std::size_t next = 0;      // the next section to claim
  std::size_t consumed = 0;  // sections whose slot is free again
  bool stop = false;

  // Under the lock: whether section `next` may be claimed (its slot free).
  auto claimable = [&] { return !stop && next < count && next < consumed + slots.size(); };
  // Loads and parses section j outside the lock, then marks it ready.
  auto prepare = [&](std::unique_lock<std::mutex>& lock, std::size_t j) {
    lock.unlock();
    Slot& slot = slots[j % slots.size()];
    try {
      slot.source = load(j);
      slot.parsed = dialect_->parse(slot.source);
    } catch (...) {
      slot.failed = std::current_exception();
    }
    lock.lock();
    slot.ready = true;
    changed.notify_all();
  };
  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      changed.wait(lock, [&] { return stop || next >= count || claimable(); });
      if (!claimable()) return;
      prepare(lock, next++);
    }
  };

  std::vector<std::thread> pool;
  // Stops and joins the workers however this function ends.
  struct Joiner {
    std::vector<std::thread>& pool;
    std::mutex& mu;
    std::condition_variable& changed;
    bool& stop;
    ~Joiner() {
      {
        std::lock_guard<std::mutex> g(mu);
        stop = true;
      }
      changed.notify_all();
      for (auto& t : pool) t.join();
    }
  } joiner{pool, mu, changed, stop};
  for (unsigned t = 1; t < threads && t < count; ++t) pool.emplace_back(worker);

  for (std::size_t i = 0; i < count; ++i) {
    Slot& slot = slots[i % slots.size()];
    {
      std::unique_lock<std::mutex> lock(mu);
      while (!slot.ready) {
        if (claimable())
          prepare(lock, next++);
        else
          changed.wait(lock);
      }
    }
    if (slot.failed) std::rethrow_exception(slot.failed);
    lint_section(slot.source, slot.parsed.get(), out);
    slot = Slot();
    std::lock_guard<std::mutex> lock(mu);
    ++consumed;
    changed.notify_all();
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
  for (const Directive& dir : directives) {
    if (dir.kind != Directive::not_converted) continue;
    emit(RuleId::not_converted, dir.offset,
         "not converted by `migrate import`: " +
             (dir.arg.empty() ? std::string("see below") : dir.arg),
         "");
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
