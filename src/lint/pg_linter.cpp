// The PostgreSQL section linter: one parse of the whole section
// (libpg_query's JSON tree, read by pg_tree.h), then the rules of
// pg_rules.h on each statement in order, with the run's and the step's
// state between them.
#include <fmt/format.h>

#include "lint/pg_rules.h"
#include "sql/postgres/parse.h"

namespace migrate::lint {

namespace {

// The first byte at or after `pos` that is neither blank nor in a comment.
std::size_t skip_blanks_and_comments(const std::string& sql, std::size_t pos, std::size_t end) {
  while (pos < end) {
    const char c = sql[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (c == '-' && pos + 1 < end && sql[pos + 1] == '-') {
      const std::size_t nl = sql.find('\n', pos);
      pos = nl == std::string::npos ? end : nl + 1;
    } else if (c == '/' && pos + 1 < end && sql[pos + 1] == '*') {
      int depth = 1;
      pos += 2;
      while (pos < end && depth > 0) {
        if (sql[pos] == '/' && pos + 1 < end && sql[pos + 1] == '*') {
          ++depth;
          pos += 2;
        } else if (sql[pos] == '*' && pos + 1 < end && sql[pos + 1] == '/') {
          --depth;
          pos += 2;
        } else {
          ++pos;
        }
      }
    } else {
      break;
    }
  }
  return pos;
}

// A section's parse tree, or the parser's complaint.
struct PgParsed : ParsedSection {
  pg::Tree tree;
  bool failed = false;
  std::size_t error_offset = 0;
  std::string error_message;
};

class PostgresLinter : public SectionLinter {
 public:
  std::unique_ptr<ParsedSection> parse(const Source& source) const override {
    auto p = std::make_unique<PgParsed>();
    try {
      p->tree = pg::parse_tree(source.sql);
    } catch (const sql::postgres::ParseError& e) {
      p->failed = true;
      p->error_offset = std::min(e.offset(), source.sql.size());
      p->error_message = e.parser_message();
    }
    return p;
  }

  void lint(const Source& source, const Settings& settings, std::vector<StatementHits>& out,
            std::vector<Hit>& section_hits, const ParsedSection* parsed) override {
    const std::string& sql = source.sql;
    std::unique_ptr<ParsedSection> here;
    if (!parsed) {
      here = parse(source);
      parsed = here.get();
    }
    const auto& p = static_cast<const PgParsed&>(*parsed);
    if (p.failed) {
      section_hits.push_back({RuleId::parse_error, p.error_offset,
                              fmt::format("PostgreSQL's parser rejects this section: {}; nothing "
                                          "in it was linted",
                                          p.error_message),
                              ""});
      return;
    }
    const pg::Value tree = p.tree.root();
    pg::StepState step;
    step.transactional = source.transactional;
    step.pending_on_database = source.pending_on_database;
    const bool style =
        settings.enabled(RuleId::prefer_bigint) || settings.enabled(RuleId::prefer_timestamptz) ||
        settings.enabled(RuleId::prefer_text) || settings.enabled(RuleId::prefer_identity);
    for (const pg::Value st : pg::field(tree, "stmts")) {
      const pg::Value loc = pg::field(st, "stmt_location");
      const pg::Value len = pg::field(st, "stmt_len");
      const std::size_t raw = loc.is_number_integer() ? static_cast<std::size_t>(loc.integer()) : 0;
      const std::size_t end =
          len.is_number_integer() && len.integer() != 0
              ? std::min(sql.size(), raw + static_cast<std::size_t>(len.integer()))
              : sql.size();
      StatementHits sh;
      sh.begin = skip_blanks_and_comments(sql, raw, end);
      sh.end = end;
      const pg::Value node = pg::field(st, "stmt");
      pg::Statement s{node,
                      pg::kind_of(node),
                      pg::body_of(node),
                      sh.begin,
                      settings.postgres_version(),
                      settings,
                      run_,
                      step,
                      sh.hits};
      if (source.transactional && !step.exclusive_table.empty() && !step.exclusive_reported &&
          !cheap_follow_up(s, step.exclusive_table)) {
        step.exclusive_reported = true;
        s.hit(RuleId::work_after_access_exclusive, sh.begin,
              fmt::format("this statement runs while an earlier one in the step holds an ACCESS "
                          "EXCLUSIVE lock on {}: reads and writes of {} wait until the step "
                          "commits",
                          step.exclusive_table, step.exclusive_table));
      }
      pg::check_data(s);
      pg::check_transactions(s);
      pg::check_locks(s);
      pg::check_compatibility(s);
      if (style) pg::check_style(s);
      pg::check_function_body(s, sql);
      if (step.exclusive_table.empty()) step.exclusive_table = pg::access_exclusive_table(s);
      pg::record_effects(s);
      out.push_back(std::move(sh));
    }
  }

 private:
  // A statement that costs nothing while the lock is held: creating new
  // objects, or more catalog-only changes to the locked table itself.
  static bool cheap_follow_up(const pg::Statement& s, const std::string& locked) {
    if (s.kind == "CreateStmt" || s.kind == "CreateSeqStmt" || s.kind == "ViewStmt" ||
        s.kind == "CommentStmt" || s.kind == "GrantStmt" || s.kind == "CreateFunctionStmt" ||
        s.kind == "CreateTrigStmt" || s.kind == "VariableSetStmt")
      return true;
    if (s.kind == "IndexStmt") return s.is_new(pg::table_of(pg::field(s.body, "relation")));
    if (s.kind == "AlterTableStmt" || s.kind == "RenameStmt") {
      const std::string table = pg::table_of(pg::field(s.body, "relation"));
      return table == locked || s.is_new(table);
    }
    return false;
  }

  pg::RunState run_;
};

}  // namespace

std::unique_ptr<SectionLinter> make_postgres_linter() { return std::make_unique<PostgresLinter>(); }

}  // namespace migrate::lint
