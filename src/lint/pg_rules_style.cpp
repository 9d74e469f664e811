// Style rules (off unless enabled in migrate.yaml's `lint.rules`): column
// types that age badly. They look at every column a statement defines:
// CREATE TABLE, ADD COLUMN, ALTER COLUMN ... TYPE.
#include <fmt/format.h>

#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

void check_type(const Statement& s, const std::string& column, Value type_name, std::size_t at) {
  const std::string type = type_of(type_name);
  if (type == "int4" || type == "int2")
    s.hit(RuleId::prefer_bigint, at,
          fmt::format("column {} is {}: prefer bigint", column,
                      type == "int4" ? "integer" : "smallint"));
  else if (type == "timestamp")
    s.hit(RuleId::prefer_timestamptz, at,
          fmt::format("column {} is timestamp without time zone: prefer timestamptz", column));
  else if ((type == "varchar" || type == "bpchar") && !typmods_of(type_name).empty())
    s.hit(RuleId::prefer_text, at,
          fmt::format("column {} is {}({}): prefer text", column,
                      type == "varchar" ? "varchar" : "char", typmods_of(type_name)[0]));
  else if (type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" ||
           type == "serial8" || type == "serial2")
    s.hit(RuleId::prefer_identity, at,
          fmt::format("column {} is {}: prefer GENERATED ALWAYS AS IDENTITY", column, type));
}

void check_column_def(const Statement& s, Value def, std::size_t at) {
  check_type(s, text(def, "colname"), field(def, "typeName"), at);
}

}  // namespace

void check_style(const Statement& s) {
  if (s.kind == "CreateStmt") {
    for (Value e : field(s.body, "tableElts"))
      if (kind_of(e) == "ColumnDef") check_column_def(s, body_of(e), s.at(e));
  } else if (s.kind == "AlterTableStmt") {
    for (Value c : field(s.body, "cmds")) {
      Value cmd = body_of(c);
      const std::string sub = text(cmd, "subtype");
      Value def = body_of(field(cmd, "def"));
      if (sub == "AT_AddColumn")
        check_column_def(s, def, s.at(c));
      else if (sub == "AT_AlterColumnType")
        check_type(s, text(cmd, "name"), field(def, "typeName"), s.at(c));
    }
  }
}

}  // namespace migrate::lint::pg
