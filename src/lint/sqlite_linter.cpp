// The SQLite section linter: statements as SQLite's splitter cuts them
// (db/sqlite/sqlite_splitter.h), read token by token with SQLite's own
// tokenizer rules (sql/sqlite/tokens.h). SQLite has no lock levels to speak
// of inside a database file, so its rules are the data, transaction and
// rename ones.
#include <fmt/format.h>

#include <set>

#include "db/sqlite/sqlite_splitter.h"
#include "lint/section_linter.h"
#include "sql/sqlite/text.h"
#include "sql/sqlite/tokens.h"
#include "util/error.h"

namespace migrate::lint {

namespace {

using sql::sqlite::Kind;
using Tokens = std::vector<sql::sqlite::Token>;

bool is_literal(const sql::sqlite::Token& t) {
  return t.kind == Kind::number || t.kind == Kind::string;
}

bool is_kw(const sql::sqlite::Token& t, const char* lower) { return t.is_word(lower); }

// Splits tokens [b, e) at top-level occurrences of the keyword `word`.
std::vector<std::pair<std::size_t, std::size_t>> split_top(const Tokens& t, std::size_t b,
                                                           std::size_t e, const char* word) {
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  int depth = 0;
  std::size_t start = b;
  for (std::size_t i = b; i < e; ++i) {
    if (t[i].is("(")) ++depth;
    if (t[i].is(")")) --depth;
    if (depth == 0 && is_kw(t[i], word)) {
      parts.emplace_back(start, i);
      start = i + 1;
    }
  }
  parts.emplace_back(start, e);
  return parts;
}

bool constant_true(const Tokens& t, std::size_t b, std::size_t e);

bool constant_true_atom(const Tokens& t, std::size_t b, std::size_t e) {
  while (e - b >= 2 && t[b].is("(") && sql::sqlite::skip_parens(t, b) == e) {
    ++b;
    --e;
  }
  if (e - b == 1)
    return is_kw(t[b], "true") || (t[b].kind == Kind::number && t[b].text != "0" &&
                                   t[b].text.find_first_not_of("0.") != std::string::npos);
  if (e - b == 2 && is_kw(t[b], "not"))
    return is_kw(t[b + 1], "false") || (t[b + 1].kind == Kind::number && t[b + 1].text == "0");
  if (e - b == 3 && is_literal(t[b]) && is_literal(t[b + 2]) && t[b + 1].kind == Kind::punct) {
    const std::string& op = t[b + 1].text;
    if (op == "=" || op == "==") return t[b].text == t[b + 2].text;
    if (op == "<>" || op == "!=") return t[b].text != t[b + 2].text;
  }
  if (e - b == 3 && is_literal(t[b]) && is_kw(t[b + 1], "is") && is_literal(t[b + 2]))
    return t[b].text == t[b + 2].text;
  if (e - b == 4 && is_literal(t[b]) && is_kw(t[b + 1], "is") && is_kw(t[b + 2], "not") &&
      is_kw(t[b + 3], "null"))
    return true;
  if (e - b >= 2 && t[b].is("(")) return constant_true(t, b, e);
  return false;
}

// Whether the expression in tokens [b, e) is always true.
bool constant_true(const Tokens& t, std::size_t b, std::size_t e) {
  if (b >= e) return false;
  while (e - b >= 2 && t[b].is("(") && sql::sqlite::skip_parens(t, b) == e) {
    ++b;
    --e;
  }
  for (const auto& [ob, oe] : split_top(t, b, e, "or")) {
    bool all = true;
    const auto ands = split_top(t, ob, oe, "and");
    for (const auto& [ab, ae] : ands) all = all && constant_true_atom(t, ab, ae);
    if (all) return true;
  }
  return false;
}

class SqliteLinter : public SectionLinter {
 public:
  void lint(const Source& source, const Settings& /*settings*/, std::vector<StatementHits>& out,
            std::vector<Hit>& section_hits, const ParsedSection* /*parsed*/) override {
    lint_section(source, out, section_hits);
  }

 private:
  void lint_section(const Source& source, std::vector<StatementHits>& out,
                    std::vector<Hit>& section_hits) {
    std::vector<db::Statement> statements;
    try {
      statements = db::sqlite::split_sql(source.sql, source.first_line, source.file);
    } catch (const Error& e) {
      section_hits.push_back({RuleId::parse_error, 0,
                              fmt::format("SQLite's splitter rejects this section: {}", e.what()),
                              ""});
      return;
    }
    copied_.clear();
    created_.clear();
    pending_on_database_ = source.pending_on_database;
    std::size_t cursor = 0;
    for (const auto& st : statements) {
      const std::size_t begin = source.sql.find(st.sql, cursor);
      StatementHits sh;
      sh.begin = begin == std::string::npos ? cursor : begin;
      sh.end = sh.begin + st.sql.size();
      cursor = sh.end;
      lint_statement(st.sql, sh, source.transactional);
      out.push_back(std::move(sh));
    }
  }

 private:
  void hit(StatementHits& sh, RuleId id, std::size_t offset, std::string message) {
    sh.hits.push_back({id, sh.begin + offset, std::move(message), ""});
  }

  bool is_new(const std::string& table) const {
    return new_tables_.count(sql::sqlite::fold(table)) != 0;
  }

  void lint_statement(const std::string& sql, StatementHits& sh, bool transactional) {
    const Tokens t = sql::sqlite::tokenize(sql);
    if (t.empty() || t[0].kind != Kind::word) return;
    const std::string verb = sql::sqlite::fold(t[0].text);
    if (transactional && (verb == "begin" || verb == "commit" || verb == "end" ||
                          (verb == "rollback" && !(t.size() > 1 && is_kw(t[1], "to"))))) {
      hit(sh, RuleId::transaction_control, 0,
          fmt::format("{} inside a transactional step: the step already runs in its own "
                      "transaction, which this would end or nest",
                      sql::sqlite::fold(t[0].text) == "end" ? "END" : t[0].text));
      return;
    }
    if (transactional && verb == "vacuum") {
      hit(sh, RuleId::concurrently_in_transaction, 0,
          "VACUUM cannot run inside a transaction, and this step runs in one");
      return;
    }
    // The main verb, after any WITH ... AS (...) list.
    std::size_t v = 0;
    if (verb == "with") {
      int depth = 0;
      for (v = 1; v < t.size(); ++v) {
        if (t[v].is("(")) ++depth;
        if (t[v].is(")")) --depth;
        if (depth == 0 &&
            (is_kw(t[v], "delete") || is_kw(t[v], "update") || is_kw(t[v], "insert") ||
             is_kw(t[v], "select") || is_kw(t[v], "replace")))
          break;
      }
      if (v >= t.size()) return;
    }
    if (is_kw(t[v], "delete") || is_kw(t[v], "update"))
      check_dml(t, v, sh);
    else if (is_kw(t[v], "insert") || is_kw(t[v], "replace"))
      note_copy(t, v);
    else if (verb == "create")
      note_create(t);
    else if (verb == "drop")
      check_drop(t, sh);
    else if (verb == "alter")
      check_alter(t, sh);
  }

  void check_dml(const Tokens& t, std::size_t v, StatementHits& sh) {
    const bool del = is_kw(t[v], "delete");
    // DELETE FROM name / UPDATE [OR action] name
    std::size_t n = v + 1;
    if (del && n < t.size() && is_kw(t[n], "from")) ++n;
    if (!del && n + 1 < t.size() && is_kw(t[n], "or")) n += 2;
    std::string table = n < t.size() ? t[n].value() : "?";
    if (n + 2 < t.size() && t[n + 1].is(".")) table = t[n + 2].value();
    int depth = 0;
    std::size_t where = 0, stop = t.size();
    for (std::size_t i = n; i < t.size(); ++i) {
      if (t[i].is("(")) ++depth;
      if (t[i].is(")")) --depth;
      if (depth != 0) continue;
      if (!where && is_kw(t[i], "where")) where = i;
      if (where && i > where &&
          (is_kw(t[i], "returning") || is_kw(t[i], "order") || is_kw(t[i], "limit"))) {
        stop = i;
        break;
      }
    }
    std::string problem;
    if (!where)
      problem = "without WHERE";
    else if (constant_true(t, where + 1, stop))
      problem = "with a WHERE that is always true";
    // A table created earlier in the run holds only the run's own rows
    // (Source::pending_on_database).
    if (problem.empty() ||
        (is_new(table) && (pending_on_database_ || created_.count(sql::sqlite::fold(table)))))
      return;
    hit(sh, del ? RuleId::delete_without_where : RuleId::update_without_where, t[0].begin,
        fmt::format("{} {} {} every row of {}", del ? "DELETE" : "UPDATE", problem,
                    del ? "removes" : "changes", table));
  }

  // INSERT INTO x ... SELECT ... FROM y: y's rows are copied (a table
  // rebuild), so dropping y afterwards in the same step loses nothing.
  void note_copy(const Tokens& t, std::size_t v) {
    for (std::size_t i = v; i + 1 < t.size(); ++i)
      if (is_kw(t[i], "from")) copied_.insert(sql::sqlite::fold(t[i + 1].value()));
  }

  void note_create(const Tokens& t) {
    std::size_t i = 1;
    if (i < t.size() && (is_kw(t[i], "temp") || is_kw(t[i], "temporary"))) ++i;
    if (i >= t.size() || !is_kw(t[i], "table")) return;
    ++i;
    if (i + 2 < t.size() && is_kw(t[i], "if")) i += 3;
    if (i + 2 < t.size() && t[i + 1].is(".")) i += 2;
    if (i < t.size()) {
      new_tables_.insert(sql::sqlite::fold(t[i].value()));
      created_.insert(sql::sqlite::fold(t[i].value()));
    }
  }

  void check_drop(const Tokens& t, StatementHits& sh) {
    if (t.size() < 3 || !is_kw(t[1], "table")) return;
    std::size_t i = 2;
    if (i + 1 < t.size() && is_kw(t[i], "if")) i += 2;
    if (i + 2 < t.size() && t[i + 1].is(".")) i += 2;
    if (i >= t.size()) return;
    const std::string table = t[i].value();
    if (is_new(table) || copied_.count(sql::sqlite::fold(table))) return;
    hit(sh, RuleId::drop_table, 0, fmt::format("DROP TABLE {}: its rows are gone for good", table));
  }

  void check_alter(const Tokens& t, StatementHits& sh) {
    if (t.size() < 5 || !is_kw(t[1], "table")) return;
    std::size_t i = 2;
    if (i + 2 < t.size() && t[i + 1].is(".")) i += 2;
    const std::string table = t[i].value();
    if (i + 1 >= t.size() || is_new(table)) return;
    const auto& op = t[i + 1];
    std::size_t j = i + 2;
    if (is_kw(op, "drop")) {
      if (j < t.size() && is_kw(t[j], "column")) ++j;
      if (j < t.size())
        hit(sh, RuleId::drop_column, op.begin,
            fmt::format("DROP COLUMN {}.{}: its data is gone, and code still reading it breaks",
                        table, t[j].value()));
    } else if (is_kw(op, "rename")) {
      if (j < t.size() && is_kw(t[j], "to")) {
        if (j + 1 < t.size())
          hit(sh, RuleId::rename_table, op.begin,
              fmt::format("RENAME of table {} to {}: the running application still uses {}", table,
                          t[j + 1].value(), table));
        return;
      }
      if (j < t.size() && is_kw(t[j], "column")) ++j;
      if (j + 2 < t.size())
        hit(sh, RuleId::rename_column, op.begin,
            fmt::format("RENAME COLUMN {}.{} to {}: the running application still uses {}", table,
                        t[j].value(), t[j + 2].value(), t[j].value()));
    }
  }

  std::set<std::string> new_tables_;  // created in this run (folded names)
  std::set<std::string> copied_;      // read by INSERT ... SELECT in this step
  // Tables this step created, and whether the run starts from the database
  // (Source::pending_on_database): a new table's rows are the run's when
  // either holds. (Not a copy of new_tables_ per step: quadratic.)
  std::set<std::string> created_;
  bool pending_on_database_ = false;
};

}  // namespace

std::unique_ptr<SectionLinter> make_sqlite_linter() { return std::make_unique<SqliteLinter>(); }

}  // namespace migrate::lint
