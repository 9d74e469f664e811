// The order of views and of the functions the server checks against them
// (pg_diff_plan.h: Plan::create_rank / drop_rank). A LANGUAGE sql body is
// parsed against the catalogs when created, a BEGIN ATOMIC body is bound to
// what it reads, a function's row-type argument needs its relation, and a
// view needs the functions it calls: so these functions and the views are
// created in one order, each after what it uses (Function::relations and
// uses.functions, View::depends_on and functions: from pg_depend and the
// bodies' parse trees), and dropped in the reverse order.
#include <map>

#include "schema/order.h"
#include "schema/postgres/pg_diff_plan.h"

namespace migrate::schema::postgres {

namespace {

bool has(const std::vector<QualifiedName>& list, const QualifiedName& n) {
  for (const auto& x : list)
    if (x == n) return true;
  return false;
}

// Rank by dependency order of `s`'s views and ordered functions: position
// in the order. Reversed (dependents first) for drops, where every function
// is ranked: one dropped and created again (a signature change) goes after
// the views that call it.
std::map<std::string, int> ranks(const Schema& s, bool reversed) {
  std::vector<const Function*> fns;
  for (const auto& f : s.functions)
    if (reversed || ordered_with_views(f, s)) fns.push_back(&f);
  const std::size_t nf = fns.size(), count = nf + s.views.size();
  auto depends = [&](std::size_t i, std::size_t j) {
    const QualifiedName& target = j < nf ? fns[j]->name : s.views[j - nf].name;
    if (i < nf) {
      const Function& f = *fns[i];
      return j < nf ? has(f.uses.functions, target) : has(f.relations, target);
    }
    const View& v = s.views[i - nf];
    return j < nf ? has(v.functions, target) : has(v.depends_on, target);
  };
  std::vector<std::size_t> order = dependency_order(count, depends);
  std::map<std::string, int> out;
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const std::size_t i = order[pos];
    const int rank = static_cast<int>(reversed ? order.size() - pos : pos);
    out[i < nf ? code_key(*fns[i]) : code_key(s.views[i - nf])] = rank;
  }
  return out;
}

}  // namespace

std::string code_key(const Function& f) {
  return "f:" + f.name.schema + "." + f.name.name + "(" + f.identity_args + ")";
}
std::string code_key(const View& v) { return "v:" + v.name.schema + "." + v.name.name; }

int Plan::rank(const std::map<std::string, int>& ranks, const std::string& key) {
  auto it = ranks.find(key);
  return it == ranks.end() ? 0 : it->second;
}

void rank_code(const Schema& from, const Schema& to, Plan& plan) {
  plan.create_rank = ranks(to, false);
  plan.drop_rank = ranks(from, true);
}

}  // namespace migrate::schema::postgres
