#include "schema/postgres/pg_diff_inherit.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "schema/postgres/pg_diff_columns.h"
#include "schema/postgres/pg_diff_table_attrs.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

// Why the column cannot be parked ("" = it can).
std::string unparkable(const Parking& k, const Schema& from, const KeptTables& kept) {
  const std::string& name = k.own->name;
  const Column& added = *k.parent.to->column(name);
  if (!k.own->identity.empty() || !k.own->generated.empty() || !added.identity.empty() ||
      !added.generated.empty())
    return "an identity or generated column is not copied";
  if (added.inherited || k.parent.to->is_partition())
    return display(k.parent.to->name) + " inherits it in turn";
  if (!added.renamed_from.empty() && k.parent.from->column(added.renamed_from))
    return display(k.parent.to->name) + " renames a column to it";
  // The RENAME would fail: an inherited column keeps its name.
  for (const auto& q : parents_of(*k.child)) {
    const Table* pt = from.table(q);
    if (pt && pt->column(name)) return "it is inherited from " + display(q) + " already";
  }
  std::set<QualifiedName> subtree{k.child->name};
  for (const auto* b : k.below) subtree.insert(b->name);
  for (const auto* b : k.below) {
    if (!kept.count(b->name))
      return display(b->name) + ", which inherits it, is dropped or created again";
    // Its own column would keep the parked name after the child's drop.
    const Column* bc = b->column(name);
    if (bc && !bc->inherited) return display(b->name) + " has it as its own too";
    for (const auto& q : parents_of(*b)) {
      const Table* pt = from.table(q);
      if (!subtree.count(q) && pt && pt->column(name))
        return display(b->name) + " inherits it from " + display(q) + " too";
    }
  }
  return "";
}

// A name no column of the child or of the tables below it has, on either
// side (at most 63 bytes, cut on a character boundary).
std::string parked_name(const Parking& k, const KeptTables& kept) {
  std::set<std::string> taken;
  auto take = [&](const Table* x) {
    for (const auto& c : x->columns) taken.insert(c.name);
  };
  take(k.child);
  take(k.child_to);
  for (const auto* b : k.below) {
    take(b);
    take(kept.at(b->name).to);
  }
  const std::string& name = k.own->name;
  std::string head = name.substr(0, std::min<std::size_t>(name.size(), 44));
  while (head.size() < name.size() && !head.empty() &&
         (static_cast<unsigned char>(name[head.size()]) & 0xC0) == 0x80)
    head.pop_back();
  const std::string base = head + "__migrate_own";
  std::string out = base;
  for (int i = 2; taken.count(out); ++i) out = base + "_" + std::to_string(i);
  return out;
}

}  // namespace

std::vector<const Table*> descendants(
    const Table& root, const Schema& from,
    const std::function<bool(const Table&, const QualifiedName&)>& stays) {
  std::vector<const Table*> out;
  std::set<QualifiedName> seen{root.name};
  std::vector<QualifiedName> todo{root.name};
  while (!todo.empty()) {
    const QualifiedName at = todo.back();
    todo.pop_back();
    for (const auto& x : from.tables)
      for (const auto& q : parents_of(x))
        if (q == at && stays(x, q) && seen.insert(x.name).second) {
          out.push_back(&x);
          todo.push_back(x.name);
        }
  }
  return out;
}

bool plan_parking(Parking& k, const Schema& from, const KeptTables& kept, Plan& plan) {
  const std::string why = unparkable(k, from, kept);
  const std::string& column = k.own->name;
  if (!why.empty()) {
    plan.warnings.push_back(fmt::format(
        "column {}.{} stays the table's own as well as inherited from {}, which adds it: {}; "
        "no ALTER makes it inherited only (pg_dump still lists it in {})",
        display(k.child_to->name), column, display(k.parent.to->name), why,
        display(k.child_to->name)));
    return false;
  }
  k.made.comment.clear();
  k.made.statistics = -1;
  k.made.renamed_from.clear();
  k.made.inherited = true;
  k.parked = parked_name(k, kept);
  plan.rewritten_tables.insert(k.child->name);
  plan.reshaped_columns[k.child_to->name].insert(column);
  for (const auto* b : k.below) {
    plan.rewritten_tables.insert(b->name);
    plan.reshaped_columns[kept.at(b->name).to->name].insert(column);
  }
  return true;
}

ops::InheritColumn inherit_column(const Parking& k, ops::InheritColumn::Step step,
                                  const Plan& plan) {
  using Step = ops::InheritColumn::Step;
  const QualifiedName& table = step == Step::kDrop ? k.child_to->name : k.child->name;
  return {step,
          table,
          k.parent.to->name,
          *k.own,
          k.made,
          k.parked,
          step == Step::kCopy ? converted(ident(k.parked), *k.own, k.made, plan) : ""};
}

void park_column(const Parking& k, const Schema& from, const Schema& to, Plan& plan) {
  std::set<std::string> owners{qualified(k.child->name) + "." + ident(k.own->name)};
  for (const auto* b : k.below) owners.insert(qualified(b->name) + "." + ident(k.own->name));
  for (const auto& s : from.sequences) {
    if (!owners.count(s.owned_by)) continue;
    plan.add(kTables, ops::SetSequenceOwner{s.name, ""}, false);
    for (const auto& n : to.sequences)
      if (n.name == s.name && n.owned_by == s.owned_by)
        plan.add(kSequenceOwnership, ops::SetSequenceOwner{n.name, n.owned_by}, false);
  }
  plan.add(kTables, inherit_column(k, ops::InheritColumn::Step::kPark, plan));
}

}  // namespace migrate::schema::postgres
