#include "expand/pg_sync.h"

#include <fmt/format.h>

#include "expand/expression.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::expand {

namespace {

using schema::postgres::ident;
using schema::postgres::qualified;

// `expr` over the row being written.
std::string row(const Change& c, const std::string& expr) {
  return qualify_columns(expr, "NEW", c.columns);
}

}  // namespace

std::string pg_sync_function_name(const Change& c) {
  return qualified({c.table.name.schema, c.sync_function}) + "()";
}

std::string pg_sync_function(const Change& c) {
  std::string insert, update, always;
  for (const auto& p : c.pairs) {
    const std::string from = "NEW." + ident(p.from.name), to = "NEW." + ident(p.to.name);
    const std::string down = p.down.empty() ? "NULL" : row(c, p.down);
    insert += fmt::format("    -- {} -> {}\n    IF {} IS NULL THEN\n", p.from.name, p.to.name, to);
    if (!p.default_expr.empty())
      insert +=
          fmt::format("      IF {} IS NULL THEN {} := {}; END IF;\n", from, from, p.default_expr);
    insert += fmt::format("      {} := {};\n    ELSE\n      {} := {};\n    END IF;\n", to,
                          row(c, p.up), from, down);
    update += fmt::format(
        "    -- {} -> {}\n    IF {} IS DISTINCT FROM OLD.{} THEN\n      {} := {};\n    ELSE\n"
        "      {} := {};\n    END IF;\n",
        p.from.name, p.to.name, to, ident(p.to.name), from, down, to, row(c, p.up));
  }
  for (const auto& d : c.dropped) {
    if (d.down.empty()) continue;
    const std::string col = "NEW." + ident(d.column.name);
    insert += fmt::format(
        "    -- {}: dropped by the contract; the new version does not write it\n"
        "    IF {} IS NULL THEN {} := {}; END IF;\n",
        d.column.name, col, col, row(c, d.down));
  }
  for (const auto& f : c.fills) {
    const std::string col = "NEW." + ident(f.column);
    always += fmt::format(
        "  -- {}: NOT NULL from the contract on\n  IF {} IS NULL THEN {} := {}; "
        "END IF;\n",
        f.column, col, col, row(c, f.fill));
  }
  std::string body = "BEGIN\n";
  if (!insert.empty() || !update.empty()) {
    body += "  IF TG_OP = 'INSERT' THEN\n" + (insert.empty() ? "    NULL;\n" : insert);
    if (!update.empty())
      body +=
          "  ELSIF current_setting('migrate.backfill', true) IS DISTINCT FROM 'on' THEN\n"
          "    -- An application's UPDATE (the backfill engine writes the new columns itself).\n" +
          update;
    body += "  END IF;\n";
  }
  body += always + "  RETURN NEW;\nEND\n";
  return fmt::format(
      "CREATE FUNCTION {} RETURNS trigger LANGUAGE plpgsql AS $migrate$\n"
      "-- Written by `migrate revision --expand-contract` (docs/zero-downtime.md): while both\n"
      "-- application versions run, keeps the old and the new columns of {} equal,\n"
      "-- whichever version wrote the row. Dropped by the contract.\n{}$migrate$",
      pg_sync_function_name(c), c.table.name.schema + "." + c.table.name.name, body);
}

std::string pg_sync_trigger(const Change& c) {
  return fmt::format(
      "CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION {}",
      ident(c.sync_trigger), qualified(c.table.name), pg_sync_function_name(c));
}

}  // namespace migrate::expand
