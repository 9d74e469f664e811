// inspect_postgres: the catalog queries of pg_catalog_queries.h, run in one
// snapshot, assembled into the model.
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "db/postgres/pg_connection.h"
#include "schema/postgres/pg_catalog_queries.h"
#include "schema/postgres/pg_function_body.h"
#include "schema/postgres/pg_inspect_db_kinds.h"
#include "schema/postgres/pg_inspect_kinds.h"
#include "schema/postgres/pg_inspect_tables.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_target.h"
#include "schema/postgres/postgres_schema.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::schema {

namespace {

using db::postgres::Connection;

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
bool flag(const pqxx::field& f) { return !f.is_null() && f.c_str()[0] == 't'; }
long long number(const pqxx::field& f) { return f.is_null() ? 0 : std::stoll(f.c_str()); }

std::vector<std::string> names(const pqxx::field& f) {
  if (f.is_null()) return {};
  return util::split(f.c_str(), postgres::queries::kListSeparator);
}

// Runs one catalog query; the error names the database and which query.
pqxx::result run(Connection& conn, const char* what, const char* sql) {
  try {
    return conn.exec(sql);
  } catch (const pqxx::sql_error& e) {
    throw Error(fmt::format("{}: inspecting {} failed: {}", conn.describe(), what,
                            db::postgres::format_server_error(e.what())));
  }
}

ConstraintKind constraint_kind(char c) {
  switch (c) {
    case 'p':
      return ConstraintKind::PrimaryKey;
    case 'u':
      return ConstraintKind::Unique;
    case 'f':
      return ConstraintKind::ForeignKey;
    case 'x':
      return ConstraintKind::Exclusion;
    default:
      return ConstraintKind::Check;
  }
}

// exclude_tables entries are "name" (any schema) or "schema.name".
bool excluded(const InspectOptions& options, const std::string& schema, const std::string& name) {
  for (const auto& e : options.exclude_tables)
    if (e == name || e == std::string(schema).append(".").append(name)) return true;
  return false;
}

// The rows of every catalog query, fetched before anything is assembled.
struct CatalogRows {
  pqxx::result schemas, extensions, enums, sequences, functions, tables, columns, constraints,
      indexes, views, view_depends, triggers, depends, code_depends;
  // pg_inspect_tables.h
  pqxx::result table_attributes, column_attributes, index_statistics, view_column_comments;
  pqxx::result row_security, policies, collations, domains, aggregates, operators;
  pqxx::result event_triggers, publications;  // pg_inspect_db_kinds.h
  pqxx::result composite_types, range_types;
  pqxx::result privileges, current_user;  // InspectOptions::privileges only
};

// Opens a REPEATABLE READ, READ ONLY transaction on `conn`, in `snapshot`
// when given (pg_export_snapshot of the first connection), with
// search_path = pg_catalog: the server then qualifies every user object in
// the texts it gives back, so they do not depend on the caller's search_path.
void begin_snapshot(Connection& conn, const std::string& snapshot) {
  conn.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!snapshot.empty()) conn.query("SET TRANSACTION SNAPSHOT " + postgres::literal(snapshot));
  conn.query("SET LOCAL search_path = pg_catalog");
  // The catalogs are small and the queries already run on three backends:
  // a Gather's workers cost more to start than they save (the dependency
  // query took 15 ms with them, 5 ms without).
  conn.query("SET LOCAL max_parallel_workers_per_gather = 0");
}

class Inspector {
 public:
  Inspector(const CatalogRows& rows, const InspectOptions& options)
      : rows_(rows), options_(options) {}

  Schema run_all() {
    schema_.dialect = config::DatabaseUrl::kPostgres;
    for (const auto& r : rows_.schemas) schema_.schemas.push_back(text(r[0]));
    for (const auto& r : rows_.extensions)
      schema_.extensions.push_back({text(r[0]), text(r[1]), text(r[2]), names(r[3])});
    enums();
    sequences();
    functions();
    postgres::add_aggregates(rows_.aggregates, schema_.functions, function_by_oid_);
    postgres::add_operators(rows_.operators, schema_.functions, operator_by_oid_);
    schema_.collations = postgres::collations_of(rows_.collations);
    schema_.domains = postgres::domains_of(rows_.domains);
    schema_.composite_types = postgres::composite_types_of(rows_.composite_types);
    schema_.range_types = postgres::range_types_of(rows_.range_types);
    schema_.event_triggers = postgres::event_triggers_of(rows_.event_triggers);
    schema_.publications = postgres::publications_of(rows_.publications);
    tables();
    columns();
    constraints();
    indexes();
    views();
    triggers();
    depends();
    table_attributes();
    code_depends();
    postgres::add_row_security(rows_.row_security, rows_.policies, [&](const std::string& oid) {
      auto it = table_by_oid_.find(oid);
      return it == table_by_oid_.end() ? nullptr : &schema_.tables[it->second];
    });
    privileges();
    return std::move(schema_);
  }

  // Only for the tables and views kept (InspectOptions::exclude_tables).
  void privileges() {
    if (!rows_.current_user.empty()) schema_.inspected_as = text(rows_.current_user[0][0]);
    for (const auto& r : rows_.privileges) {
      if ((text(r[0]) == "TABLE" || text(r[0]) == "SEQUENCE") &&
          excluded(options_, text(r[2]), text(r[3])))
        continue;
      Privileges p;
      p.kind = text(r[0]);
      p.alter_kind = text(r[1]);
      p.object = {text(r[2]), text(r[3])};
      p.target = text(r[4]);
      p.column = text(r[5]);
      if (p.column.empty()) p.owner = text(r[6]);
      p.granted = names(r[7]);
      p.revoked = names(r[8]);
      schema_.privileges.push_back(std::move(p));
    }
  }

 private:
  void enums() {
    for (const auto& r : rows_.enums) {
      QualifiedName name{text(r[0]), text(r[1])};
      if (schema_.enums.empty() || schema_.enums.back().name != name) {
        schema_.enums.emplace_back();
        schema_.enums.back().name = name;
        schema_.enums.back().comment = text(r[3]);
      }
      schema_.enums.back().labels.push_back(text(r[2]));
    }
  }

  void sequences() {
    for (const auto& r : rows_.sequences) {
      if (!r[10].is_null() && excluded(options_, text(r[10]), text(r[11]))) continue;
      Sequence s;
      s.name = {text(r[0]), text(r[1])};
      s.type = text(r[2]);
      s.start = number(r[3]);
      s.increment = number(r[4]);
      s.min_value = number(r[5]);
      s.max_value = number(r[6]);
      s.cache = number(r[7]);
      s.cycle = flag(r[8]);
      s.owned_by = text(r[9]);
      schema_.sequences.push_back(std::move(s));
    }
  }

  void functions() {
    for (const auto& r : rows_.functions) {
      Function f;
      f.name = {text(r[0]), text(r[1])};
      f.identity_args = text(r[2]);
      f.definition = text(r[3]);
      f.kind = text(r[4]) == "p" ? "procedure" : "function";
      f.comment = text(r[5]);
      f.signature_uses_table = flag(r[6]);
      function_by_oid_[text(r[7])] = schema_.functions.size();
      if (!r[8].is_null()) sql_bodies_.emplace_back(schema_.functions.size(), text(r[8]));
      schema_.functions.push_back(std::move(f));
    }
  }

  void tables() {
    for (const auto& r : rows_.tables) {
      if (excluded(options_, text(r[1]), text(r[2]))) continue;
      Table t;
      t.name = {text(r[1]), text(r[2])};
      t.comment = text(r[3]);
      table_by_oid_[text(r[0])] = schema_.tables.size();
      schema_.tables.push_back(std::move(t));
    }
  }

  Table* table_of(const pqxx::field& oid) {
    auto it = table_by_oid_.find(text(oid));
    return it == table_by_oid_.end() ? nullptr : &schema_.tables[it->second];
  }

  void columns() {
    for (const auto& r : rows_.columns) {
      Table* t = table_of(r[0]);
      if (!t) continue;
      Column c;
      c.name = text(r[1]);
      c.type = text(r[2]);
      c.not_null = flag(r[3]);
      if (!r[4].is_null()) c.default_expr = text(r[4]);
      const std::string identity = text(r[5]);
      c.identity = identity == "a" ? "always" : identity == "d" ? "by default" : "";
      c.generated = text(r[6]);
      c.collation = text(r[7]);
      c.comment = text(r[8]);
      t->columns.push_back(std::move(c));
    }
  }

  void constraints() {
    for (const auto& r : rows_.constraints) {
      Table* t = table_of(r[0]);
      if (!t) continue;
      Constraint c;
      c.name = text(r[1]);
      c.kind = constraint_kind(text(r[2])[0]);
      c.definition = text(r[3]);
      c.columns = names(r[4]);
      if (c.kind == ConstraintKind::ForeignKey) {
        c.ref_table = {text(r[5]), text(r[6])};
        c.ref_columns = names(r[7]);
      }
      c.deferrable = flag(r[8]);
      c.initially_deferred = flag(r[9]);
      c.comment = text(r[10]);
      c.uses.columns = c.columns;  // CHECK and EXCLUDE: completed by depends()
      t->constraints.push_back(std::move(c));
    }
  }

  Index index_of(const pqxx::row& r, const QualifiedName& table) {
    Index i;
    i.name = text(r[1]);
    i.table = table;
    i.unique = flag(r[2]);
    i.method = text(r[3]);
    i.definition = text(r[4]);
    i.where = text(r[5]);
    i.columns = names(r[6]);
    i.comment = text(r[7]);
    i.attached = flag(r[8]);
    i.uses.columns = i.columns;  // expressions, predicate, INCLUDE: completed by depends()
    return i;
  }

  void indexes() {
    for (const auto& r : rows_.indexes) {
      if (Table* t = table_of(r[0])) {
        t->indexes.push_back(index_of(r, t->name));
      } else {
        matview_indexes_[text(r[0])].push_back(r);
      }
    }
  }

  void views() {
    for (const auto& r : rows_.views) {
      View v;
      v.name = {text(r[1]), text(r[2])};
      v.materialized = flag(r[3]);
      v.definition = text(r[4]);
      v.comment = text(r[5]);
      for (const auto& ir : matview_indexes_[text(r[0])]) v.indexes.push_back(index_of(ir, v.name));
      view_by_oid_[text(r[0])] = schema_.views.size();
      schema_.views.push_back(std::move(v));
    }
    for (const auto& r : rows_.view_depends) {
      auto it = view_by_oid_.find(text(r[0]));
      if (it == view_by_oid_.end()) continue;
      View& v = schema_.views[it->second];
      QualifiedName read{text(r[1]), text(r[2])};
      if (v.depends_on.empty() || v.depends_on.back() != read) v.depends_on.push_back(read);
      v.columns_read.push_back({read, text(r[4])});
    }
  }

  void triggers() {
    for (const auto& r : rows_.triggers) {
      if (excluded(options_, text(r[1]), text(r[2]))) continue;
      Trigger t;
      t.name = text(r[0]);
      t.table = {text(r[1]), text(r[2])};
      t.definition = text(r[3]);
      t.functions.push_back({text(r[4]), text(r[5])});
      schema_.triggers.push_back(std::move(t));
    }
  }

  // kDepends: what expressions use, added to the object that holds them;
  // then every column list in its table's column order.
  void depends() {
    if (rows_.depends.empty()) return;
    std::map<std::pair<QualifiedName, std::string>, Trigger*> trigger_by_name;
    for (auto& t : schema_.triggers) trigger_by_name[{t.table, t.name}] = &t;
    std::set<Table*> touched;
    for (const auto& r : rows_.depends) {
      Table* table = table_of(r[0]);
      View* view = table ? nullptr : view_of(r[0]);
      if (!table && !view) continue;
      const QualifiedName& owner = table ? table->name : view->name;
      const char kind = text(r[1])[0];
      const std::string object = text(r[2]);
      Uses* uses = nullptr;
      if (kind == 'k' && table) {
        for (auto& c : table->constraints)
          if (c.name == object) uses = &c.uses;
      } else if (kind == 'i') {
        for (auto& i : table ? table->indexes : view->indexes)
          if (i.name == object) uses = &i.uses;
      } else if (kind == 'd' && table) {
        for (auto& c : table->columns)
          if (c.name == object) uses = &c.uses;
      } else if (kind == 't') {
        auto it = trigger_by_name.find({owner, object});
        if (it != trigger_by_name.end()) uses = &it->second->uses;
      }
      if (!uses) continue;
      if (table) touched.insert(table);
      const char ref = text(r[3])[0];
      if (ref == 'c')
        add_unique(uses->columns, text(r[6]));
      else
        add_unique(ref == 'f' ? uses->functions : uses->types,
                   QualifiedName{text(r[4]), text(r[5])});
    }
    for (Table* t : touched) {
      for (auto& c : t->columns) in_column_order(*t, c.uses);
      for (auto& k : t->constraints) in_column_order(*t, k.uses);
      for (auto& i : t->indexes) in_column_order(*t, i.uses);
      for (auto& tr : schema_.triggers)
        if (tr.table == t->name) in_column_order(*t, tr.uses);
    }
  }

  void table_attributes() {
    postgres::add_table_attributes(
        {rows_.table_attributes, rows_.column_attributes, rows_.index_statistics,
         rows_.view_column_comments},
        [&](const std::string& oid) -> Table* {
          auto it = table_by_oid_.find(oid);
          return it == table_by_oid_.end() ? nullptr : &schema_.tables[it->second];
        },
        [&](const std::string& oid) -> View* {
          auto it = view_by_oid_.find(oid);
          return it == view_by_oid_.end() ? nullptr : &schema_.views[it->second];
        });
  }

  // kCodeDepends, then what string bodies of LANGUAGE sql functions name
  // (once every table, view and function is known).
  void code_depends() {
    for (const auto& r : rows_.code_depends) {
      const QualifiedName ref{text(r[3]), text(r[4])};
      const char ref_kind = text(r[2])[0];
      if (text(r[0]) == "v") {
        if (View* v = view_of(r[1]))
          if (ref_kind == 'f') add_unique(v->functions, ref);
        continue;
      }
      const auto& by_oid = text(r[0]) == "o" ? operator_by_oid_ : function_by_oid_;
      auto it = by_oid.find(text(r[1]));
      if (it == by_oid.end()) continue;
      Function& f = schema_.functions[it->second];
      if (ref_kind == 'r')
        add_unique(f.relations, ref);
      else if (ref_kind == 'f' && ref != f.name)
        add_unique(f.uses.functions, ref);
      else if (ref_kind == 't')
        add_unique(f.uses.types, ref);
    }
    for (const auto& [index, body] : sql_bodies_)
      postgres::add_body_refs(postgres::sql_body_refs(body), schema_, schema_.functions[index]);
  }

  template <typename T>
  static void add_unique(std::vector<T>& list, T item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
  }

  static void in_column_order(const Table& t, Uses& uses) {
    if (uses.columns.size() < 2) return;
    std::vector<std::string> ordered;
    for (const auto& c : t.columns)
      if (std::find(uses.columns.begin(), uses.columns.end(), c.name) != uses.columns.end())
        ordered.push_back(c.name);
    uses.columns = std::move(ordered);
  }

  View* view_of(const pqxx::field& oid) {
    auto it = view_by_oid_.find(text(oid));
    return it == view_by_oid_.end() ? nullptr : &schema_.views[it->second];
  }

  const CatalogRows& rows_;
  const InspectOptions& options_;
  Schema schema_;
  std::unordered_map<std::string, std::size_t> table_by_oid_, view_by_oid_, function_by_oid_,
      operator_by_oid_;
  std::vector<std::pair<std::size_t, std::string>> sql_bodies_;  // function index, body
  std::unordered_map<std::string, std::vector<pqxx::row>> matview_indexes_;
};

}  // namespace

// A query of CatalogRows: where its rows go, what it is, its SQL.
struct CatalogQuery {
  pqxx::result CatalogRows::*rows;
  const char* what;
  const char* sql;
};

// The queries run on three connections at once, in one exported snapshot:
// the server's work (pg_get_indexdef, pg_get_expr... and the catalog caches
// each new backend fills) is most of the time, and splits over backends. The
// helpers connect while the first connection does, then wait for its
// snapshot. Groups of about equal cost on a cold backend: indexes alone;
// constraints, views and triggers; everything else.
Schema inspect_postgres(const std::string& url, const InspectOptions& options) {
  namespace q = postgres::queries;
  using R = CatalogRows;
  const std::vector<std::vector<CatalogQuery>> helper_groups = {
      {{&R::indexes, "indexes", q::kIndexes}},
      {{&R::constraints, "constraints", q::kConstraints},
       {&R::views, "views", q::kViews},
       {&R::view_depends, "view dependencies", q::kViewDepends},
       {&R::triggers, "triggers", q::kTriggers},
       {&R::depends, "dependencies", q::kDepends},
       {&R::index_statistics, "index statistics targets", q::kIndexStatistics},
       {&R::view_column_comments, "comments on view columns", q::kViewColumnComments},
       {&R::code_depends, "function dependencies", q::kCodeDepends},
       {&R::row_security, "row-level security", q::kRowSecurity},
       {&R::policies, "policies", q::kPolicies}},
  };
  std::vector<CatalogQuery> main_group = {
      {&R::schemas, "schemas", q::kSchemas},
      {&R::extensions, "extensions", q::kExtensions},
      {&R::enums, "enum types", q::kEnums},
      {&R::sequences, "sequences", q::kSequences},
      {&R::functions, "functions", q::kFunctions},
      {&R::tables, "tables", q::kTables},
      {&R::columns, "columns", q::kColumns},
      {&R::table_attributes, "table attributes", q::kTableAttributes},
      {&R::column_attributes, "column attributes", q::kColumnAttributes},
      {&R::collations, "collations", q::kCollations},
      {&R::domains, "domains", q::kDomains},
      {&R::aggregates, "aggregates", q::kAggregates},
      {&R::operators, "operators", q::kOperators},
      {&R::event_triggers, "event triggers", q::kEventTriggers},
      {&R::composite_types, "composite types", q::kCompositeTypes},
      {&R::range_types, "range types", q::kRangeTypes},
  };
  if (options.privileges) {
    main_group.push_back({&R::privileges, "owners and privileges", q::kPrivileges});
    main_group.push_back({&R::current_user, "the current user", q::kCurrentUser});
  }

  const db::postgres::ConnectTarget target = postgres::connect_target(url);
  CatalogRows rows;
  std::promise<std::string> snapshot;
  std::shared_future<std::string> snapshot_ready = snapshot.get_future().share();
  bool snapshot_set = false;
  std::vector<std::exception_ptr> helper_errors(helper_groups.size());
  std::vector<std::thread> helpers;
  auto join_helpers = [&] {
    for (auto& h : helpers)
      if (h.joinable()) h.join();
  };
  for (std::size_t i = 0; i < helper_groups.size(); ++i)
    helpers.emplace_back([&, i] {
      try {
        Connection conn(target);
        begin_snapshot(conn, snapshot_ready.get());
        for (const auto& query : helper_groups[i])
          rows.*query.rows = run(conn, query.what, query.sql);
        conn.query("COMMIT");
      } catch (...) {
        helper_errors[i] = std::current_exception();
      }
    });
  try {
    Connection conn(target);
    begin_snapshot(conn, "");
    snapshot.set_value(conn.query("SELECT pg_export_snapshot()")[0][0].c_str());
    snapshot_set = true;
    for (const auto& query : main_group) rows.*query.rows = run(conn, query.what, query.sql);
    // Column lists, row filters and TABLES IN SCHEMA came with 15.
    const bool pg15 = run(conn, "the server version",
                          "SELECT current_setting('server_version_num')::int >= 150000")[0][0]
                          .as<bool>();
    rows.publications = run(conn, "publications", pg15 ? q::kPublications : q::kPublications13);
    join_helpers();  // the exported snapshot lives as long as this transaction
    conn.query("COMMIT");
  } catch (...) {
    if (!snapshot_set) snapshot.set_exception(std::current_exception());
    join_helpers();
    throw;
  }
  for (const auto& e : helper_errors)
    if (e) std::rethrow_exception(e);
  return Inspector(rows, options).run_all();
}

}  // namespace migrate::schema
