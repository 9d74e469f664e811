// diff_schemas dispatches to the dialect's differ and adds the
// dialect-neutral probable-rename warnings; render_script writes the script.
#include "schema/diff.h"

#include "schema/postgres/postgres_schema.h"
#include "schema/rename_warnings.h"
#include "schema/sqlite/sqlite_schema.h"
#include "util/error.h"

namespace migrate::schema {

Diff diff_schemas(const Schema& from, const Schema& to) {
  if (from.dialect != to.dialect)
    throw Error("cannot diff a " + from.dialect + " schema against a " + to.dialect +
                " schema: both sides must be of the same kind of database");
  Diff diff =
      from.dialect == "postgresql" ? diff_postgres(from, to) : sqlite::diff_sqlite(from, to);
  for (auto& w : probable_rename_warnings(from, to)) diff.warnings.push_back(std::move(w));
  return diff;
}

std::string render_script(const Diff& diff) {
  std::string out;
  for (const auto& s : diff.statements) {
    if (s.destructive)
      out += "-- destructive: " + (s.note.empty() ? std::string("drops data") : s.note) + "\n";
    else if (!s.note.empty())
      out += "-- " + s.note + "\n";
    out += s.sql + ";\n";
  }
  return out;
}

}  // namespace migrate::schema
