#include "db/row_guards.h"

#include <fmt/format.h>

#include <cstring>

#include "db/database.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::db {

namespace {

constexpr std::string_view kDirective = "migrate:expect-rows";

std::string at(const std::string& file, int line) { return file + ":" + std::to_string(line); }

// A line comment (`--`) after optional spaces: its text after `--` and any
// spaces; nullopt for any other line.
std::optional<std::string_view> comment_text(std::string_view line) {
  std::string_view t = util::trim(line);
  if (t.size() < 2 || t[0] != '-' || t[1] != '-') return std::nullopt;
  return util::trim(t.substr(2));
}

// A non-negative decimal count; nullopt for anything else (or more than 18
// digits, which no table holds).
std::optional<long long> count_of(std::string_view s) {
  s = util::trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::optional<RowBound> parse_bound(std::string_view text) {
  text = util::trim(text);
  RowBound b;
  if (text == "any") {
    b.text = "any";
    return b;
  }
  if (util::starts_with(text, "<=")) {
    auto n = count_of(text.substr(2));
    if (!n) return std::nullopt;
    b.hi = *n;
    b.text = fmt::format("<= {}", *n);
    return b;
  }
  if (util::starts_with(text, ">=")) {
    auto n = count_of(text.substr(2));
    if (!n) return std::nullopt;
    b.lo = *n;
    b.text = fmt::format(">= {}", *n);
    return b;
  }
  if (auto dots = text.find(".."); dots != std::string_view::npos) {
    auto lo = count_of(text.substr(0, dots));
    auto hi = count_of(text.substr(dots + 2));
    if (!lo || !hi || *lo > *hi) return std::nullopt;
    b.lo = *lo;
    b.hi = *hi;
    b.text = fmt::format("{}..{}", *lo, *hi);
    return b;
  }
  auto n = count_of(text);
  if (!n) return std::nullopt;
  b.lo = *n;
  b.hi = *n;
  b.text = std::to_string(*n);
  return b;
}

}  // namespace

const ExpectRows* RowGuards::expect_for(int statement_line) const {
  for (const auto& e : expect)
    if (e.statement_line == statement_line) return &e;
  return nullptr;
}

bool may_have_expect_rows(const std::string& sql) {
  return sql.find(kDirective.data(), 0, kDirective.size()) != std::string::npos;
}

std::vector<ExpectRows> parse_expect_rows(const std::string& sql, int first_line,
                                          const std::string& file) {
  std::vector<ExpectRows> out;
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= sql.size();) {
    std::size_t nl = sql.find('\n', pos);
    if (nl == std::string::npos) nl = sql.size();
    lines.emplace_back(sql.data() + pos, nl - pos);
    pos = nl + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto comment = comment_text(lines[i]);
    if (!comment || !util::starts_with(*comment, kDirective)) continue;
    std::string_view rest = comment->substr(kDirective.size());
    const int line = first_line + static_cast<int>(i);
    // `migrate:expect-rowsX` is another word, taken for a typo of this one.
    if (!rest.empty() && !util::is_space(rest[0]))
      throw Error(fmt::format("{}: '{}' is not a directive; write `-- migrate:expect-rows BOUND`",
                              at(file, line), util::trim(lines[i])));
    auto bound = parse_bound(rest);
    if (!bound)
      throw Error(fmt::format(
          "{}: bad row bound '{}' in `-- migrate:expect-rows`: write N, <= N, >= N, N..M (N <= "
          "M) or any",
          at(file, line), util::trim(rest)));
    ExpectRows e;
    e.directive_line = line;
    e.bound = std::move(*bound);
    for (std::size_t j = i + 1; j < lines.size() && !e.statement_line; ++j) {
      if (!util::trim(lines[j]).empty() && !comment_text(lines[j]))
        e.statement_line = first_line + static_cast<int>(j);
    }
    if (!e.statement_line)
      throw Error(fmt::format("{}: `-- migrate:expect-rows` is not followed by a statement",
                              at(file, line)));
    if (!out.empty() && out.back().statement_line == e.statement_line)
      throw Error(fmt::format(
          "{}: a second `-- migrate:expect-rows` for the statement on line {} (the first is line "
          "{})",
          at(file, line), e.statement_line, out.back().directive_line));
    out.push_back(std::move(e));
  }
  return out;
}

void check_expect_rows_targets(const std::vector<ExpectRows>& expect,
                               const std::vector<Statement>& statements, const std::string& file) {
  for (const auto& e : expect) {
    int starting = 0;
    for (const auto& st : statements) starting += st.line == e.statement_line ? 1 : 0;
    if (starting == 1) continue;
    throw Error(
        starting == 0
            ? fmt::format("{}: `-- migrate:expect-rows` must be on the line before a statement; "
                          "line {} does not start one",
                          at(file, e.directive_line), e.statement_line)
            : fmt::format("{}: `-- migrate:expect-rows` applies to line {}, where {} statements "
                          "start; put the guarded statement on a line of its own",
                          at(file, e.directive_line), e.statement_line, starting));
  }
}

void refuse_guards_outside_transaction(const RowGuards& guards, const std::string& file,
                                       const std::string& label) {
  if (guards.empty()) return;
  throw Error(fmt::format(
      "{}: {} has a row guard ({}) but is declared `transactional: false`: a guard needs a "
      "transaction to roll back; nothing was run",
      guards.expect.empty() ? file : at(file, guards.expect.front().directive_line), label,
      guards.expect.empty() ? fmt::format("max_rows_affected: {}", *guards.max_rows)
                            : "-- migrate:expect-rows " + guards.expect.front().bound.text));
}

std::optional<AppliedGuard> applied_guard(const RowGuards& guards, const std::string& file,
                                          int statement_line, const std::string& label) {
  AppliedGuard g;
  std::string guard;
  if (const ExpectRows* e = guards.expect_for(statement_line)) {
    g.bound = e->bound;
    guard = fmt::format("expect-rows {} (line {})", e->bound.text, e->directive_line);
  } else if (guards.max_rows) {
    g.header = true;
    g.bound.hi = *guards.max_rows;
    g.bound.text = fmt::format("<= {}", *guards.max_rows);
    guard = fmt::format("max_rows_affected: {} (header)", *guards.max_rows);
  } else {
    return std::nullopt;
  }
  g.message = fmt::format("{}: {}: row guard violated: {}, but the statement affected ",
                          at(file, statement_line), label, guard);
  return g;
}

std::optional<std::string> row_guard_violation(const RowGuards& guards, const std::string& file,
                                               int statement_line, long long count, bool modifies,
                                               const std::string& label,
                                               const std::string& statement_first_line) {
  if (guards.empty()) return std::nullopt;
  auto g = applied_guard(guards, file, statement_line, label);
  if (!g || (g->header && !modifies) || g->bound.accepts(count)) return std::nullopt;
  return fmt::format("{}{} row{}\n  in: {}", g->message, count, count == 1 ? "" : "s",
                     statement_first_line);
}

}  // namespace migrate::db
