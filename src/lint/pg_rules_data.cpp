// Data rules: statements that remove or change more rows than meant.
#include <fmt/format.h>

#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

std::string where_problem(Value where) {
  if (where.is_null()) return "without WHERE";
  if (is_constant_true(where)) return "with a WHERE that is always true";
  return "";
}

}  // namespace

void check_dml(const Statement& s, Value body, std::string_view kind, std::size_t at,
               const std::string& context) {
  if (kind == "DeleteStmt" || kind == "UpdateStmt") {
    const std::string problem = where_problem(field(body, "whereClause"));
    if (problem.empty()) return;
    const std::string table = table_of(field(body, "relation"));
    // A table created earlier in the run holds only the run's own rows.
    if (s.rows_are_the_runs(table)) return;
    const bool del = kind == "DeleteStmt";
    s.hit(del ? RuleId::delete_without_where : RuleId::update_without_where, at,
          fmt::format("{} {}{} {} every row of {}", del ? "DELETE" : "UPDATE", problem, context,
                      del ? "removes" : "changes", table));
    return;
  }
  if (kind == "MergeStmt") {
    if (!is_constant_true(field(body, "joinCondition"))) return;
    if (s.rows_are_the_runs(table_of(field(body, "relation")))) return;
    for (Value w : field(body, "mergeWhenClauses")) {
      Value c = body_of(w);
      const std::string cmd = text(c, "commandType");
      if (!flag(c, "matched") || !field(c, "condition").is_null()) continue;
      if (cmd != "CMD_UPDATE" && cmd != "CMD_DELETE") continue;
      s.hit(RuleId::merge_without_condition, at,
            fmt::format("MERGE joined on a condition that is always true{} {} every row of {}",
                        context, cmd == "CMD_DELETE" ? "deletes" : "updates",
                        table_of(field(body, "relation"))));
      return;
    }
  }
}

namespace {

std::string names_of_drop(Value body) {
  std::string out;
  for (Value o : field(body, "objects")) {
    std::string name =
        kind_of(o) == "List" ? last_name(field(body_of(o), "items")) : text(body_of(o), "sval");
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

}  // namespace

void check_data(const Statement& s) {
  Value b = s.body;
  // DML, also as the main statement of a CTE's WITH (the tree is the same).
  check_dml(s, b, s.kind, s.begin, "");
  // Data-modifying CTEs: WITH gone AS (DELETE FROM t RETURNING *) SELECT ...
  if (Value with = field(b, "withClause"); with.is_object()) {
    for (Value cte : field(with, "ctes")) {
      Value q = field(body_of(cte), "ctequery");
      check_dml(s, body_of(q), kind_of(q), s.at(cte), " (in a WITH query)");
    }
  }

  if (s.kind == "TruncateStmt") {
    std::string tables;
    bool all_new = true;
    std::size_t n = 0;
    for (Value r : field(b, "relations")) {
      ++n;
      const std::string t = table_of(body_of(r));
      all_new = all_new && s.is_new(t);
      tables += (tables.empty() ? "" : ", ") + t;
    }
    if (all_new) return;
    const bool cascade = text(b, "behavior") == "DROP_CASCADE";
    s.hit(RuleId::truncate_table, s.begin,
          cascade ? fmt::format("TRUNCATE ... CASCADE empties {} and every table that references "
                                "{}, whatever it holds",
                                tables, n == 1 ? "it" : "them")
                  : fmt::format("TRUNCATE empties {} under an ACCESS EXCLUSIVE lock", tables));
    return;
  }

  if (s.kind == "DropStmt") {
    const std::string type = text(b, "removeType");
    if (type == "OBJECT_TABLE") {
      std::string old;
      for (Value o : field(b, "objects")) {
        const std::string t = last_name(field(body_of(o), "items"));
        if (!s.is_new(t)) old += (old.empty() ? "" : ", ") + t;
      }
      if (!old.empty())
        s.hit(RuleId::drop_table, s.begin,
              fmt::format("DROP TABLE {}: its rows are gone for good{}", old,
                          text(b, "behavior") == "DROP_CASCADE"
                              ? ", and CASCADE drops what depends on it (views, foreign keys)"
                              : ""));
    } else if (type == "OBJECT_SCHEMA") {
      s.hit(RuleId::drop_schema, s.begin,
            fmt::format("DROP SCHEMA {}{}", names_of_drop(b),
                        text(b, "behavior") == "DROP_CASCADE"
                            ? " CASCADE: drops every object in it, data included"
                            : ": removes the schema"));
    }
    return;
  }

  if (s.kind == "AlterTableStmt") {
    const std::string table = table_of(field(b, "relation"));
    for (Value c : field(b, "cmds")) {
      Value cmd = body_of(c);
      const std::string sub = text(cmd, "subtype");
      if (sub == "AT_DropColumn" && !s.is_new(table))
        s.hit(RuleId::drop_column, s.at(c),
              fmt::format("DROP COLUMN {}.{}: its data is gone, and code still reading it breaks",
                          table, text(cmd, "name")));
      if (sub == "AT_AddConstraint" && !s.is_new(table)) {
        Value con = body_of(field(cmd, "def"));
        const std::string type = text(con, "contype");
        if ((type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") && text(con, "indexname").empty())
          s.hit(RuleId::unique_on_existing_data, s.at(c),
                fmt::format("{} on existing table {} fails if its rows hold duplicates",
                            type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY", table));
      }
    }
    return;
  }

  if (s.kind == "IndexStmt" && flag(b, "unique")) {
    const std::string table = table_of(field(b, "relation"));
    if (!s.is_new(table))
      s.hit(RuleId::unique_on_existing_data, s.begin,
            fmt::format("unique index on existing table {} fails if its rows hold duplicates",
                        table));
  }
}

}  // namespace migrate::lint::pg
