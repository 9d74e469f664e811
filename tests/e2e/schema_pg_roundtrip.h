// The round trip of PostgreSQL schema diffs on the real server, shared by
// the schema_pg_* tests: a diff A->B applied to A (in one transaction, as a
// revision runs) must make A inspect equal to B, pg_dump --schema-only of
// both must agree after normalising, and a second diff must be empty. Tests
// fail (never skip) without MIGRATE_TEST_PG_URL (scripts/test.sh sets it).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "e2e/pg_fixture.h"
#include "schema/postgres/postgres_schema.h"
#include "support/matchers.h"
#include "support/test_support.h"

namespace schema_pg {

using e2e::TempPgDatabase;
using migrate::schema::Diff;
using migrate::schema::Schema;
using testsupport::ExitedWith;

inline Schema inspect(const TempPgDatabase& db) {
  return migrate::backend::inspect_database(db.url(), "", migrate::schema::InspectOptions{});
}

// ---- model comparison: the first difference, in words ----------------------

inline std::string q(const migrate::schema::QualifiedName& n) { return n.schema + "." + n.name; }

template <typename T, typename Key, typename Cmp>
inline std::string compare_lists(const std::string& what, const std::vector<T>& a,
                                 const std::vector<T>& b, Key key, Cmp cmp) {
  std::map<std::string, const T*> ma, mb;
  for (const auto& x : a) ma[key(x)] = &x;
  for (const auto& x : b) mb[key(x)] = &x;
  auto named = [&](const std::string& k) { return std::string(what).append(" ").append(k); };
  for (const auto& [k, x] : ma) {
    auto it = mb.find(k);
    if (it == mb.end()) return named(k).append(" is only on the left");
    std::string d = cmp(*x, *it->second);
    if (!d.empty()) return named(k).append(": ").append(d);
  }
  for (const auto& [k, x] : mb)
    if (!ma.count(k)) return named(k).append(" is only on the right");
  return "";
}

#define FIELD(f)          \
  if (!(x.f == y.f)) {    \
    std::ostringstream s; \
    s << #f " differs";   \
    return s.str();       \
  }
#define TEXT(f) \
  if (x.f != y.f) return std::string(#f " differs: '") + x.f + "' vs '" + y.f + "'";

inline std::string index_diff(const migrate::schema::Index& x, const migrate::schema::Index& y) {
  TEXT(definition)
  TEXT(comment) TEXT(method) TEXT(where) FIELD(unique) FIELD(columns) FIELD(statistics) return "";
}

// Relation options as a set (the server keeps them in the order set).
inline std::vector<std::string> option_set(std::vector<std::string> options) {
  std::sort(options.begin(), options.end());
  return options;
}

// Columns are compared by name: PostgreSQL adds columns at the end, so a
// diff cannot reproduce the other side's column order (nor is it asked to).
inline std::string first_difference(const Schema& a, const Schema& b) {
  using namespace migrate::schema;
  auto id = [](const std::string& s) { return s; };
  if (a.schemas != b.schemas) return "the lists of schemas differ";
  std::string d;
  d = compare_lists(
      "extension", a.extensions, b.extensions, [](const Extension& e) { return e.name; },
      [](const Extension& x, const Extension& y) -> std::string {
        TEXT(schema) TEXT(version) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "enum", a.enums, b.enums, [](const EnumType& e) { return q(e.name); },
      [](const EnumType& x, const EnumType& y) -> std::string {
        FIELD(labels) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "sequence", a.sequences, b.sequences, [](const Sequence& s) { return q(s.name); },
      [](const Sequence& x, const Sequence& y) -> std::string {
        TEXT(type)
        FIELD(start)
        FIELD(increment)
        FIELD(min_value) FIELD(max_value) FIELD(cache) FIELD(cycle) TEXT(owned_by) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "function", a.functions, b.functions,
      [](const Function& f) { return q(f.name) + "(" + f.identity_args + ")"; },
      [](const Function& x, const Function& y) -> std::string {
        TEXT(definition) TEXT(kind) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "table", a.tables, b.tables, [](const Table& t) { return q(t.name); },
      [](const Table& x, const Table& y) -> std::string {
        TEXT(comment)
        FIELD(unlogged)
        TEXT(partition_by)
        FIELD(partition_of)
        TEXT(partition_bound)
        FIELD(inherits)
        if (option_set(x.options) != option_set(y.options)) return "options differ";
        std::string d2 = compare_lists(
            "column", x.columns, y.columns, [](const Column& c) { return c.name; },
            [](const Column& x, const Column& y) -> std::string {
              TEXT(type)
              FIELD(not_null)
              FIELD(default_expr)
              TEXT(identity)
              TEXT(generated) TEXT(collation) TEXT(comment) FIELD(statistics) return "";
            });
        if (!d2.empty()) return d2;
        d2 = compare_lists(
            "constraint", x.constraints, y.constraints, [](const Constraint& k) { return k.name; },
            [](const Constraint& x, const Constraint& y) -> std::string {
              TEXT(definition)
              FIELD(kind)
              FIELD(columns)
              FIELD(ref_table)
              FIELD(ref_columns)
              FIELD(deferrable) FIELD(initially_deferred) TEXT(comment) return "";
            });
        if (!d2.empty()) return d2;
        return compare_lists(
            "index", x.indexes, y.indexes, [](const Index& i) { return i.name; }, index_diff);
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "view", a.views, b.views, [](const View& v) { return q(v.name); },
      [](const View& x, const View& y) -> std::string {
        TEXT(definition)
        FIELD(materialized)
        FIELD(depends_on)
        TEXT(comment)
        FIELD(column_comments)
        if (option_set(x.options) != option_set(y.options)) return "options differ";
        return compare_lists(
            "index", x.indexes, y.indexes, [](const Index& i) { return i.name; }, index_diff);
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "trigger", a.triggers, b.triggers, [](const Trigger& t) { return q(t.table) + "." + t.name; },
      [](const Trigger& x, const Trigger& y) -> std::string {
        TEXT(definition)
        return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "composite type", a.composite_types, b.composite_types,
      [](const CompositeType& t) { return q(t.name); },
      [](const CompositeType& x, const CompositeType& y) -> std::string {
        if (x.attributes.size() != y.attributes.size()) return "attributes differ";
        for (std::size_t i = 0; i < x.attributes.size(); ++i)
          if (x.attributes[i].name != y.attributes[i].name ||
              x.attributes[i].type != y.attributes[i].type ||
              x.attributes[i].collation != y.attributes[i].collation)
            return "attribute " + x.attributes[i].name + " differs";
        TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "range type", a.range_types, b.range_types, [](const RangeType& t) { return q(t.name); },
      [](const RangeType& x, const RangeType& y) -> std::string {
        TEXT(options) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "event trigger", a.event_triggers, b.event_triggers,
      [](const EventTrigger& e) { return e.name; },
      [](const EventTrigger& x, const EventTrigger& y) -> std::string {
        TEXT(event)
        FIELD(tags) FIELD(function) FIELD(enabled) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "publication", a.publications, b.publications, [](const Publication& p) { return p.name; },
      [](const Publication& x, const Publication& y) -> std::string {
        FIELD(all_tables)
        FIELD(tables)
        FIELD(schemas) TEXT(publish) FIELD(via_root) TEXT(comment) return "";
      });
  (void)id;
  return d;
}

// ---- pg_dump as an independent check ----------------------------------------

inline std::string pg_dump_binary() {
  for (const char* p : {"/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"})
    if (access(p, X_OK) == 0) return p;
  return "pg_dump";
}

// pg_dump --schema-only without comments, SET lines and blank lines, each
// line without a trailing comma (column order differs), sorted.
inline std::vector<std::string> normalised_dump(const TempPgDatabase& db) {
  auto r = testsupport::run_program(
      ".", {pg_dump_binary(), "--schema-only", "--no-owner", "--dbname", db.url()});
  REQUIRE_THAT(r, ExitedWith(0));
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("SET ", 0) == 0 ||
        line.rfind("SELECT pg_catalog.set_config", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
        line.rfind("\\unrestrict", 0) == 0)
      continue;
    while (!line.empty() && (line.back() == ',' || line.back() == ' ')) line.pop_back();
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

inline std::string dump_difference(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  std::vector<std::string> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  std::string out;
  for (const auto& l : only_a) out += "\n  only after the diff: " + l;
  for (const auto& l : only_b) out += "\n  only in the target:  " + l;
  return out;
}

// ---- the round trip -----------------------------------------------------------

// Applies the statements in one transaction, as a revision's step runs.
inline void apply(const TempPgDatabase& db, const Diff& diff) {
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  for (const auto& s : diff.statements) {
    try {
      tx.exec(s.sql);
    } catch (const std::exception& e) {
      FAIL("statement failed: " << s.sql << "\n"
                                << e.what() << "\nscript:\n"
                                << migrate::schema::render_script(diff));
    }
  }
  tx.commit();
}

struct Case {
  std::string a, b;    // each side's schema
  std::string seed_a;  // rows inserted in A before A -> B
  std::string seed_b;  // rows inserted in B before B -> A
  std::string kept_a;  // a query whose rows must be the same after A -> B
  std::string kept_b;  // the same for B -> A
};

inline void one_way(const std::string& from_sql, const std::string& to_sql, const std::string& seed,
                    const std::string& kept, const char* direction) {
  INFO("direction " << direction);
  TempPgDatabase from, to;
  from.exec(from_sql);
  to.exec(to_sql);
  from.exec(seed);
  const auto rows_before = kept.empty() ? std::vector<std::string>{} : from.rows(kept);
  Schema target = inspect(to);
  Diff diff = migrate::schema::diff_postgres(inspect(from), target);
  INFO("script:\n" << migrate::schema::render_script(diff));
  // SCHEMA_PG_TEST_PRINT=1 shows every script, for reading them.
  if (std::getenv("SCHEMA_PG_TEST_PRINT"))
    std::cout << "-- " << direction << "\n" << migrate::schema::render_script(diff) << "\n";
  REQUIRE_FALSE(diff.empty());
  CHECK_FALSE(diff.changes.empty());
  apply(from, diff);
  const std::string difference = first_difference(inspect(from), target);
  INFO("first difference: " << difference);
  CHECK(difference.empty());
  auto dump_from = normalised_dump(from), dump_to = normalised_dump(to);
  INFO("pg_dump differs:" << dump_difference(dump_from, dump_to));
  CHECK(dump_from == dump_to);
  if (!kept.empty()) CHECK(from.rows(kept) == rows_before);
  // The diff is complete: nothing is left to do.
  Diff again = migrate::schema::diff_postgres(inspect(from), target);
  INFO("left over:\n" << migrate::schema::render_script(again));
  CHECK(again.empty());
}

// The script `diff` writes from a database made by `a` to one made by `b`.
inline std::string script(const std::string& a, const std::string& b) {
  TempPgDatabase from, to;
  from.exec(a);
  to.exec(b);
  return migrate::schema::render_script(migrate::schema::diff_postgres(inspect(from), inspect(to)));
}

inline void round_trip(const Case& c) {
  one_way(c.a, c.b, c.seed_a, c.kept_a, "A -> B");
  one_way(c.b, c.a, c.seed_b, c.kept_b, "B -> A");
}

#undef FIELD
#undef TEXT

}  // namespace schema_pg
