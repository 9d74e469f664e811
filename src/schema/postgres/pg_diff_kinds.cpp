// Row-level security (ENABLE/FORCE and policies), collations, domains,
// composite and range types.
#include <map>
#include <set>

#include "schema/postgres/pg_diff_match.h"
#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

bool same_policy(const Policy& a, const Policy& b) {
  return a.permissive == b.permissive && a.command == b.command && a.roles == b.roles &&
         a.using_expr == b.using_expr && a.check_expr == b.check_expr;
}

bool same_collation(const Collation& a, const Collation& b) {
  return a.provider == b.provider && a.lc_collate == b.lc_collate && a.lc_ctype == b.lc_ctype &&
         a.locale == b.locale && a.deterministic == b.deterministic;
}

// The ranks within kCreateTypes / kDropTypes: collations before the enums
// and domains that may use them, domains (over enums) after, then
// composite types (of any of these), then range types (over any of these);
// drops reversed.
constexpr int kCollationCreateRank = -2, kDomainCreateRank = 1, kCompositeCreateRank = 2,
              kRangeCreateRank = 3;
constexpr int kRangeDropRank = -4, kCompositeDropRank = -3, kDomainDropRank = -1,
              kCollationDropRank = 2;
// A composite type's ALTER when a column of `from` uses it: after the tables
// changed (the server refuses it while a column uses the type), before any
// type is dropped.
constexpr int kCompositeLateAlterRank = -5;

// Whether a column of a table of `s` is of type `name` (or an array of it),
// as format_type writes it.
bool column_uses_type(const Schema& s, const QualifiedName& name) {
  const std::string type = qualified(name);
  for (const auto& t : s.tables)
    for (const auto& c : t.columns)
      if (c.type == type || c.type == type + "[]") return true;
  return false;
}

}  // namespace

void diff_row_security(const Schema& from, const Schema& to, Plan& plan) {
  std::map<QualifiedName, const Table*> old_tables;
  for (const auto& t : from.tables)
    if (!plan.dropped_tables.count(t.name)) {
      auto renamed = plan.renamed_tables.find(t.name);
      old_tables[renamed == plan.renamed_tables.end() ? t.name : renamed->second] = &t;
    }
  for (const auto& t : to.tables) {
    auto it = old_tables.find(t.name);
    const Table* o = it == old_tables.end() ? nullptr : it->second;
    const bool enabled = o && o->row_security, forced = o && o->force_row_security;
    if (enabled != t.row_security || forced != t.force_row_security)
      plan.add(kTables,
               ops::SetRowSecurity{t.name, enabled, t.row_security, forced, t.force_row_security},
               o != nullptr);  // a new table's: part of adding it
    // The server refuses to change a column a policy uses: on a table whose
    // columns change shape, every policy is recreated.
    const bool reshaped = o && plan.reshaped_columns.count(t.name);
    std::map<std::string, const Policy*> old_policies;
    if (o)
      for (const auto& p : o->policies) old_policies[p.name] = &p;
    std::set<std::string> kept;
    for (const auto& p : t.policies) {
      auto op = old_policies.find(p.name);
      if (op != old_policies.end()) {
        kept.insert(p.name);
        if (same_policy(*op->second, p) && !reshaped) continue;
        plan.add(kDropTriggers, ops::DropPolicy{*op->second, true}, false);
      }
      plan.add(kCreateTriggers, ops::CreatePolicy{p, op != old_policies.end()}, o != nullptr);
    }
    if (o)
      for (const auto& p : o->policies)
        if (!kept.count(p.name)) plan.add(kDropTriggers, ops::DropPolicy{p, false});
  }
}

void diff_collations(const Schema& from, const Schema& to, Plan& plan) {
  auto create = [&](const Collation& c) {
    plan.ops.add(kCreateTypes, {ops::CreateCollation{c}, true}, kCollationCreateRank);
  };
  match_by_name(
      from.collations, to.collations, create,
      [&](const Collation& o, const Collation& c) {
        if (same_collation(o, c) && o.comment == c.comment) return;
        // A collation cannot be altered: dropped (the server refuses while a
        // column uses it) and created again.
        plan.ops.add(kCreateTypes, {ops::DropCollation{o}, false}, kCollationCreateRank);
        create(c);
      },
      [&](const Collation& o) {
        plan.ops.add(kDropTypes, {ops::DropCollation{o}, true}, kCollationDropRank);
      });
}

void diff_domains(const Schema& from, const Schema& to, Plan& plan) {
  auto create = [&](const Domain& d) {
    plan.ops.add(kCreateTypes, {ops::CreateDomain{d}, true}, kDomainCreateRank);
  };
  auto drop = [&](const Domain& o, bool reported) {
    plan.ops.add(kDropTypes, {ops::DropDomain{o}, reported}, kDomainDropRank);
  };
  match_by_name(
      from.domains, to.domains, create,
      [&](const Domain& o, const Domain& d) {
        if (o.type != d.type || o.collation != d.collation) {
          // No ALTER for the base type: dropped and created (the server
          // refuses while a column uses it, and says so).
          drop(o, false);
          create(d);
          return;
        }
        bool same_constraints = o.constraints.size() == d.constraints.size();
        for (std::size_t i = 0; same_constraints && i < d.constraints.size(); ++i)
          same_constraints = o.constraints[i].name == d.constraints[i].name &&
                             o.constraints[i].definition == d.constraints[i].definition;
        if (!same_constraints || o.not_null != d.not_null || o.default_expr != d.default_expr ||
            o.comment != d.comment)
          plan.ops.add(kCreateTypes, {ops::AlterDomain{o, d}, true}, kDomainCreateRank);
      },
      [&](const Domain& o) { drop(o, true); });
}

void diff_composite_types(const Schema& from, const Schema& to, Plan& plan) {
  match_by_name(
      from.composite_types, to.composite_types,
      [&](const CompositeType& t) {
        plan.ops.add(kCreateTypes, {ops::CreateCompositeType{t}, true}, kCompositeCreateRank);
      },
      [&](const CompositeType& o, const CompositeType& t) {
        bool same = o.comment == t.comment && o.attributes.size() == t.attributes.size();
        for (std::size_t i = 0; same && i < t.attributes.size(); ++i)
          same = o.attributes[i].name == t.attributes[i].name &&
                 o.attributes[i].type == t.attributes[i].type &&
                 o.attributes[i].collation == t.attributes[i].collation;
        if (same) return;
        // Altered before the tables when no column uses it yet (a new column
        // of it comes later); else once the tables have changed (a column
        // that used it may be gone: one that stays makes the server refuse).
        if (!column_uses_type(from, o.name))
          plan.ops.add(kCreateTypes, {ops::AlterCompositeType{o, t}, true}, kCompositeCreateRank);
        else
          plan.ops.add(kDropTypes, {ops::AlterCompositeType{o, t}, true}, kCompositeLateAlterRank);
      },
      [&](const CompositeType& o) {
        plan.ops.add(kDropTypes, {ops::DropCompositeType{o}, true}, kCompositeDropRank);
      });
}

void diff_range_types(const Schema& from, const Schema& to, Plan& plan) {
  auto create = [&](const RangeType& t, bool recreated) {
    plan.ops.add(kCreateTypes, {ops::CreateRangeType{t, recreated}, true}, kRangeCreateRank);
  };
  match_by_name(
      from.range_types, to.range_types, [&](const RangeType& t) { create(t, false); },
      [&](const RangeType& o, const RangeType& t) {
        if (o.options != t.options) {
          // No ALTER for a range's options: dropped (the server refuses
          // while a column or function uses it) and created again.
          plan.ops.add(kCreateTypes, {ops::DropRangeType{o, true}, false}, kRangeCreateRank);
          create(t, true);
        } else if (o.comment != t.comment) {
          plan.ops.add(kCreateTypes, {ops::CommentRangeType{t}, true}, kRangeCreateRank);
        }
      },
      [&](const RangeType& o) {
        plan.ops.add(kDropTypes, {ops::DropRangeType{o, false}, true}, kRangeDropRank);
      });
}

}  // namespace migrate::schema::postgres
