// Renames in PostgreSQL's canonical definitions, token by token
// (schema/postgres/pg_def_rename.h): what the differ compares when a column
// or a table is renamed. A word inside a string literal, a function's name,
// a type after `::` or a qualified name's part is never renamed.
#include <catch2/catch.hpp>

#include "schema/postgres/pg_def_rename.h"

using migrate::schema::QualifiedName;
using migrate::schema::postgres::ColumnRenames;
using migrate::schema::postgres::rename_columns;
using migrate::schema::postgres::rename_foreign_key;

TEST_CASE("column renames touch column references only", "[schema][pg][rename]") {
  const ColumnRenames status{{"status", "state"}};
  struct Case {
    const char* def;
    ColumnRenames renames;
    const char* expected;
  };
  const Case cases[] = {
      // A string literal names no column (replace_word renamed it).
      {"CHECK ((kind <> 'status'::text))", status, "CHECK ((kind <> 'status'::text))"},
      {"CHECK ((status <> 'status'::text))", status, "CHECK ((state <> 'status'::text))"},
      {"CREATE INDEX i ON public.t USING btree (kind) WHERE (kind <> 'status'::text)", status,
       "CREATE INDEX i ON public.t USING btree (kind) WHERE (kind <> 'status'::text)"},
      // A function and a column of the same name; a type after ::.
      {"CHECK ((lower(lower) = 'x'::text))", {{"lower", "l"}}, "CHECK ((lower(l) = 'x'::text))"},
      {"CHECK (((text)::text <> ''::text))",
       {{"text", "body"}},
       "CHECK (((body)::text <> ''::text))"},
      // Qualified names stay; quoting follows the new name.
      {" USING btree (t, public.t(x))",
       {{"t", "New Name"}},
       " USING btree (\"New Name\", public.t(x))"},
      {"CHECK ((\"Mixed\" > 0))", {{"Mixed", "plain"}}, "CHECK ((plain > 0))"},
      // An unreserved keyword as a column name; PRIMARY KEY's KEY is not one.
      {"PRIMARY KEY (key, id)", {{"key", "k"}}, "PRIMARY KEY (k, id)"},
      {"UNIQUE (a, b)", {}, "UNIQUE (a, b)"},
  };
  for (const auto& c : cases) {
    INFO(c.def);
    CHECK(rename_columns(c.def, c.renames) == c.expected);
  }
}

TEST_CASE("a foreign key renames its own columns, its table and that table's columns apart",
          "[schema][pg][rename]") {
  const QualifiedName p{"public", "p"}, p2{"public", "p2"};
  const std::string fk = "FOREIGN KEY (id) REFERENCES public.p(id) ON DELETE CASCADE";
  CHECK(rename_foreign_key(fk, {{"id", "pid"}}, p, p, {}) ==
        "FOREIGN KEY (pid) REFERENCES public.p(id) ON DELETE CASCADE");
  CHECK(rename_foreign_key(fk, {}, p, p2, {{"id", "key"}}) ==
        "FOREIGN KEY (id) REFERENCES public.p2(key) ON DELETE CASCADE");
  CHECK(rename_foreign_key(fk, {}, p, {"other", "P"}, {}) ==
        "FOREIGN KEY (id) REFERENCES other.\"P\"(id) ON DELETE CASCADE");
  CHECK(rename_foreign_key(fk, {}, p, p, {}) == fk);
}
