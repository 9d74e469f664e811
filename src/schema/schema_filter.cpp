#include "schema/schema_filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "schema/postgres/pg_quote.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::schema {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

template <typename T, typename Keep>
void keep_only(std::vector<T>& list, Keep keep) {
  list.erase(std::remove_if(list.begin(), list.end(), [&](const T& x) { return !keep(x); }),
             list.end());
}

std::string show(const QualifiedName& n) { return postgres::display(n); }

const View* view_of(const Schema& s, const QualifiedName& n) {
  for (const auto& v : s.views)
    if (v.name == n) return &v;
  return nullptr;
}

bool has_relation(const Schema& s, const QualifiedName& n) {
  return s.table(n) != nullptr || view_of(s, n) != nullptr;
}

bool has_function(const Schema& s, const QualifiedName& n) {
  for (const auto& f : s.functions)
    if (f.name == n) return true;
  return false;
}

// Types the model holds by name: enums, domains, composite and range
// types, and the row types of tables and views.
bool has_type(const Schema& s, const QualifiedName& n) {
  for (const auto& e : s.enums)
    if (e.name == n) return true;
  for (const auto& d : s.domains)
    if (d.name == n) return true;
  for (const auto& c : s.composite_types)
    if (c.name == n) return true;
  for (const auto& r : s.range_types)
    if (r.name == n) return true;
  return has_relation(s, n);
}

bool has_collation(const Schema& s, const QualifiedName& n) {
  for (const auto& c : s.collations)
    if (c.name == n) return true;
  return false;
}

// Whether the canonical type text `type` (format_type: "audit.mood",
// "audit.mood[]", "audit.money_amount(10,2)") names `n`.
bool type_names(const std::string& type, const QualifiedName& n) {
  const std::string q = postgres::qualified(n);
  if (!util::starts_with(type, q)) return false;
  return type.size() == q.size() || type[q.size()] == '[' || type[q.size()] == '(';
}

// The user types of `s` (enums, domains, composite and range types) whose
// name `type` is.
std::vector<QualifiedName> named_types(const Schema& s, const std::string& type) {
  std::vector<QualifiedName> out;
  for (const auto& e : s.enums)
    if (type_names(type, e.name)) out.push_back(e.name);
  for (const auto& d : s.domains)
    if (type_names(type, d.name)) out.push_back(d.name);
  for (const auto& c : s.composite_types)
    if (type_names(type, c.name)) out.push_back(c.name);
  for (const auto& r : s.range_types)
    if (type_names(type, r.name)) out.push_back(r.name);
  return out;
}

// Walks the references of every object on one side of the boundary.
// `visit(owner, what, ref_kind, ref, column)`: `owner` is the schema of
// the object, `what` names it ("view app.v"), ref_kind is 'r' relation, 'f' function, 't' type, 'c'
// collation; `column` a column of a relation read ("" = none named).
template <typename Visit>
void references(const Schema& s, const SchemaFilter& filter, bool inside, Visit visit_in) {
  auto side = [&](const QualifiedName& n) { return filter.keeps(n.schema) == inside; };
  std::string owner;  // the schema of the object being walked
  auto visit = [&](const std::string& what, char kind, const QualifiedName& ref,
                   const std::string& column) { visit_in(owner, what, kind, ref, column); };
  auto uses = [&](const std::string& what, const Uses& u) {
    for (const auto& f : u.functions) visit(what, 'f', f, "");
    for (const auto& t : u.types) visit(what, 't', t, "");
  };
  for (const auto& t : s.tables) {
    if (!side(t.name)) continue;
    owner = t.name.schema;
    const std::string what = "table " + show(t.name);
    for (const auto& p : t.inherits) visit(what, 'r', p, "");
    if (t.is_partition()) visit(what, 'r', t.partition_of, "");
    for (const auto& c : t.columns) {
      const std::string col = what + " column " + c.name;
      for (const auto& ty : named_types(s, c.type)) visit(col, 't', ty, "");
      for (const auto& co : s.collations)
        if (!c.collation.empty() && postgres::qualified(co.name) == c.collation)
          visit(col, 'c', co.name, "");
      uses(col, c.uses);
    }
    for (const auto& k : t.constraints) {
      const std::string con = what + " constraint " + k.name;
      if (k.kind == ConstraintKind::ForeignKey) {
        visit(con, 'r', k.ref_table, "");
        for (const auto& rc : k.ref_columns) visit(con, 'r', k.ref_table, rc);
      }
      uses(con, k.uses);
    }
    for (const auto& i : t.indexes) uses(what + " index " + i.name, i.uses);
  }
  for (const auto& v : s.views) {
    if (!side(v.name)) continue;
    owner = v.name.schema;
    const std::string what = (v.materialized ? "materialized view " : "view ") + show(v.name);
    for (const auto& r : v.depends_on) visit(what, 'r', r, "");
    for (const auto& r : v.columns_read)
      if (!r.column.empty()) visit(what, 'r', r.table, r.column);
    for (const auto& f : v.functions) visit(what, 'f', f, "");
  }
  for (const auto& f : s.functions) {
    if (!side(f.name)) continue;
    owner = f.name.schema;
    const std::string what = f.kind + " " + show(f.name) + "(" + f.identity_args + ")";
    for (const auto& r : f.relations) visit(what, 'r', r, "");
    uses(what, f.uses);
  }
  for (const auto& tr : s.triggers) {
    if (!side(tr.table)) continue;
    owner = tr.table.schema;
    const std::string what = "trigger " + tr.name + " on " + show(tr.table);
    for (const auto& f : tr.functions) visit(what, 'f', f, "");
    uses(what, tr.uses);
  }
  for (const auto& d : s.domains) {
    if (!side(d.name)) continue;
    owner = d.name.schema;
    for (const auto& ty : named_types(s, d.type)) visit("domain " + show(d.name), 't', ty, "");
  }
  for (const auto& c : s.composite_types) {
    if (!side(c.name)) continue;
    owner = c.name.schema;
    for (const auto& a : c.attributes)
      for (const auto& ty : named_types(s, a.type))
        visit("type " + show(c.name) + " attribute " + a.name, 't', ty, "");
  }
  // Objects of no schema are left out by --schema and compared under
  // --exclude-schema (see filtered()).
  if (inside != filter.only.empty()) return;
  owner.clear();
  for (const auto& e : s.event_triggers) visit("event trigger " + e.name, 'f', e.function, "");
  for (const auto& p : s.publications)
    for (const auto& r : p.relations) visit("publication " + p.name, 'r', r, "");
}

bool has_ref(const Schema& s, char kind, const QualifiedName& ref) {
  switch (kind) {
    case 'r':
      return has_relation(s, ref);
    case 'f':
      return has_function(s, ref);
    case 'c':
      return has_collation(s, ref);
    default:
      return has_type(s, ref);
  }
}

}  // namespace

bool SchemaFilter::keeps(const std::string& schema) const {
  if (!only.empty()) return contains(only, schema);
  return !contains(exclude, schema);
}

std::vector<std::string> check_filter(const SchemaFilter& filter,
                                      const std::vector<const Schema*>& sides) {
  std::vector<std::string> warnings;
  if (filter.empty() || sides.empty()) return warnings;
  if (!filter.only.empty() && !filter.exclude.empty())
    throw UsageError(
        "--schema and --exclude-schema cannot be combined: --schema already leaves out every "
        "schema it does not name");
  if (sides.front()->dialect == config::DatabaseUrl::kSqlite) {
    if (!filter.exclude.empty())
      throw UsageError("--exclude-schema " + filter.exclude.front() +
                       ": a SQLite database has one schema, main, and nothing to exclude "
                       "(schema filters are for PostgreSQL)");
    for (const auto& n : filter.only)
      if (n != "main")
        throw UsageError("--schema " + n +
                         ": a SQLite database has one schema, main (schema filters are for "
                         "PostgreSQL)");
    return warnings;
  }
  std::set<std::string> known;
  for (const Schema* s : sides) known.insert(s->schemas.begin(), s->schemas.end());
  auto listing = [&] {
    return known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "));
  };
  for (const auto& n : filter.only)
    if (!known.count(n))
      throw Error(fmt::format(
          "--schema {}: no schema of that name on either side compared (their schemas: {}; "
          "system schemas and those of extensions are never compared)",
          n, listing()));
  for (const auto& n : filter.exclude)
    if (!known.count(n))
      warnings.push_back(
          fmt::format("--exclude-schema {}: no schema of that name on either side compared (their "
                      "schemas: {}); it excludes nothing",
                      n, listing()));
  return warnings;
}

Schema filtered(const SchemaFilter& filter, Schema s) {
  if (filter.empty()) return s;
  auto by_name = [&](const auto& x) { return filter.keeps(x.name.schema); };
  keep_only(s.schemas, [&](const std::string& n) { return filter.keeps(n); });
  keep_only(s.extensions, [&](const Extension& e) { return filter.keeps(e.schema); });
  keep_only(s.enums, by_name);
  keep_only(s.sequences, by_name);
  keep_only(s.functions, by_name);
  keep_only(s.tables, by_name);
  keep_only(s.views, by_name);
  keep_only(s.triggers, [&](const Trigger& t) { return filter.keeps(t.table.schema); });
  keep_only(s.collations, by_name);
  keep_only(s.domains, by_name);
  keep_only(s.composite_types, by_name);
  keep_only(s.range_types, by_name);
  keep_only(s.privileges, [&](const Privileges& p) { return filter.keeps(p.object.schema); });
  // Objects of no schema: --schema compares some schemas and nothing else;
  // --exclude-schema everything else, these too.
  if (!filter.only.empty()) {
    s.event_triggers.clear();
    s.publications.clear();
  }
  return s;
}

std::vector<std::string> boundary_warnings(const SchemaFilter& filter, const Schema& from,
                                           const Schema& to) {
  std::vector<std::string> out;
  if (filter.empty() || from.dialect != config::DatabaseUrl::kPostgres) return out;
  std::set<std::string> seen;
  auto add = [&](std::string w) {
    if (seen.insert(w).second) out.push_back(std::move(w));
  };
  // What the script creates in the compared schemas needs what they leave
  // out: it must exist where the script runs.
  references(
      to, filter, true,
      [&](const std::string&, const std::string& what, char kind, const QualifiedName& ref,
          const std::string& column) {
        if (filter.keeps(ref.schema)) return;
        if (!has_ref(from, kind, ref)) {
          // A reference `to` cannot resolve either names nothing the model holds.
          if (!has_ref(to, kind, ref)) return;
          add(fmt::format(
              "{} uses {}, in schema {} which the schema filter leaves out, and the database the "
              "script runs on has no {}: the script would fail there (compare schema {} too, or "
              "create {} first)",
              what, show(ref), ref.schema, show(ref), ref.schema, show(ref)));
        } else if (!column.empty()) {
          const Table* t = from.table(ref);
          if (t && !t->column(column))
            add(fmt::format(
                "{} uses column {} of {}, in schema {} which the schema filter leaves out, and the "
                "database the script runs on has no such column: the script would fail there "
                "(compare schema {} too)",
                what, column, show(ref), ref.schema, ref.schema));
        }
      });
  // What the compared schemas drop or change under an object left out.
  references(from, filter, false,
             [&](const std::string& owner, const std::string& what, char kind,
                 const QualifiedName& ref, const std::string& column) {
               if (!filter.keeps(ref.schema) || !has_ref(from, kind, ref)) return;
               const std::string left_out =
                   owner.empty() ? "which --schema leaves out (it is in no schema)"
                                 : "in schema " + owner + " which the schema filter leaves out";
               const std::string remedy =
                   owner.empty() ? "compare without --schema" : "compare schema " + owner + " too";
               if (!has_ref(to, kind, ref)) {
                 add(fmt::format(
                     "{}, {}, uses {}, which the script drops: the drop would fail there "
                     "({}, or change it first)",
                     what, left_out, show(ref), remedy));
                 return;
               }
               if (column.empty()) return;
               const Table* before = from.table(ref);
               const Table* after = to.table(ref);
               if (!before || !after || !before->column(column)) return;
               const Column* c = after->column(column);
               if (!c)
                 add(
                     fmt::format("{}, {}, reads column {} of {}, which the script drops: the drop "
                                 "would fail there ({})",
                                 what, left_out, column, show(ref), remedy));
               else if (c->type != before->column(column)->type)
                 add(fmt::format(
                     "{}, {}, reads column {} of {}, whose type the script changes: the "
                     "ALTER would fail there ({})",
                     what, left_out, column, show(ref), remedy));
             });
  return out;
}

}  // namespace migrate::schema
