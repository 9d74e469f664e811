// Owners and privileges (Schema::privileges, inspected only when asked):
// compared object by object once everything else is planned, so that an
// object the script creates, or drops and creates again, starts where the
// server starts it: owned by the role that runs the script (the one that
// inspected --from) with its default privileges.
#include <algorithm>
#include <map>
#include <set>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

bool is_relation(const Privileges& p) { return p.kind == "TABLE" || p.kind == "SEQUENCE"; }
bool is_routine(const Privileges& p) { return p.kind == "FUNCTION" || p.kind == "PROCEDURE"; }
bool is_type(const Privileges& p) { return p.kind == "TYPE" || p.kind == "DOMAIN"; }

// Objects the plan drops that `to` still has: created again by the script.
struct Recreated {
  std::set<QualifiedName> relations, routines, types;

  bool has(const Privileges& p) const {
    if (is_relation(p)) return relations.count(p.object) > 0;
    if (is_routine(p)) return routines.count(p.object) > 0;
    if (is_type(p)) return types.count(p.object) > 0;
    return false;
  }
};

Recreated recreated_by(const Plan& plan) {
  Recreated r;
  plan.ops.for_each([&](const ops::Operation& op) {
    if (const auto* d = std::get_if<ops::DropTable>(&op.op)) r.relations.insert(d->table.name);
    if (const auto* d = std::get_if<ops::DropView>(&op.op)) r.relations.insert(d->view.name);
    if (const auto* d = std::get_if<ops::DropSequence>(&op.op))
      r.relations.insert(d->sequence.name);
    if (const auto* d = std::get_if<ops::DropFunction>(&op.op)) r.routines.insert(d->function.name);
    if (const auto* d = std::get_if<ops::DropEnum>(&op.op)) {
      r.types.insert(d->type);
      if (!d->rebuilt.name.empty()) r.types.insert(d->rebuilt);
    }
    if (const auto* d = std::get_if<ops::DropDomain>(&op.op)) r.types.insert(d->domain.name);
    if (const auto* d = std::get_if<ops::DropCompositeType>(&op.op)) r.types.insert(d->type.name);
    if (const auto* d = std::get_if<ops::DropRangeType>(&op.op)) r.types.insert(d->type.name);
  });
  return r;
}

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void append(std::vector<std::string>& to, std::vector<std::string> more) {
  to.insert(to.end(), more.begin(), more.end());
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
}

// Which entry of `from` an entry of `to` was: a relation by its name (as
// it was before a rename), anything else by its GRANT target.
std::string match_key(const Privileges& p, const QualifiedName& name) {
  return p.kind + '\x1f' + (is_relation(p) ? name.schema + '\x1f' + name.name : p.target) + '\x1f' +
         p.column;
}

}  // namespace

void diff_privileges(const Schema& from, const Schema& to, Plan& plan) {
  if (from.privileges.empty() && to.privileges.empty()) return;
  const Recreated recreated = recreated_by(plan);
  std::map<QualifiedName, QualifiedName> old_name;  // new name -> the name in `from`
  for (const auto& [before, after] : plan.renamed_tables) old_name[after] = before;
  auto name_in_from = [&](const Privileges& p) {
    auto it = is_relation(p) ? old_name.find(p.object) : old_name.end();
    return it == old_name.end() ? p.object : it->second;
  };
  std::map<std::string, const Privileges*> before;
  for (const auto& p : from.privileges) before[match_key(p, p.object)] = &p;

  std::set<std::string> seen;
  for (const auto& p : to.privileges) {
    const std::string key = match_key(p, name_in_from(p));
    seen.insert(key);
    auto it = before.find(key);
    const bool fresh = it == before.end() || recreated.has(p);
    const Privileges* was = fresh ? nullptr : it->second;
    // A new object belongs to whoever runs the script: the role that
    // inspected --from (unknown when it was not inspected: left alone).
    const std::string owner = was ? was->owner : from.inspected_as;
    if (p.column.empty() && !owner.empty() && owner != p.owner)
      plan.add(kPrivileges, ops::SetOwner{p}, !fresh);
    static const std::vector<std::string> kNone;
    const auto& granted = was ? was->granted : kNone;
    const auto& revoked = was ? was->revoked : kNone;
    ops::ChangePrivileges change{p, minus(p.granted, granted), minus(granted, p.granted)};
    append(change.grant, minus(revoked, p.revoked));
    append(change.revoke, minus(p.revoked, revoked));
    if (!change.grant.empty() || !change.revoke.empty()) plan.add(kPrivileges, std::move(change));
  }
  // A column's privileges all revoked (an object always has an entry: it
  // went with its object).
  for (const auto& p : from.privileges) {
    if (p.column.empty() || p.granted.empty() || seen.count(match_key(p, p.object))) continue;
    QualifiedName now = p.object;
    if (auto r = plan.renamed_tables.find(p.object); r != plan.renamed_tables.end())
      now = r->second;
    const Table* t = to.table(now);
    if (!t || !t->column(p.column) || recreated.relations.count(p.object)) continue;
    Privileges gone = p;
    gone.object = now;
    gone.target = qualified(now);
    gone.granted.clear();
    plan.add(kPrivileges, ops::ChangePrivileges{gone, {}, p.granted});
  }
}

}  // namespace migrate::schema::postgres
