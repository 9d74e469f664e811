// Enum types and sequences.
#include <algorithm>
#include <map>
#include <optional>

#include "schema/postgres/pg_diff_match.h"
#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

// True when `a`'s labels appear in `b` in the same order (so `b` is reached
// from `a` by ADD VALUE alone).
bool is_subsequence(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t i = 0;
  for (const auto& l : b)
    if (i < a.size() && a[i] == l) ++i;
  return i == a.size();
}

// CREATE TYPE, and its comment as part of it.
void create_enum(const EnumType& e, std::optional<ops::EnumRebuild> rebuild, Plan& plan) {
  plan.add(kCreateTypes, ops::CreateEnum{e, std::move(rebuild)});
  if (!e.comment.empty()) plan.comment({ops::Comment::On::kEnum, e.name, "", "", e.comment});
}

// ADD VALUE for each new label, in `to`'s order: the label before it in
// `to` already exists when it is added (or, for a new first label, the old
// first label follows it).
void add_labels(const EnumType& o, const EnumType& e, Plan& plan) {
  for (std::size_t i = 0; i < e.labels.size(); ++i) {
    const std::string& label = e.labels[i];
    if (std::find(o.labels.begin(), o.labels.end(), label) != o.labels.end()) continue;
    plan.add(kCreateTypes,
             ops::AddEnumValue{e.name, label, i > 0 ? e.labels[i - 1] : o.labels.front(), i == 0});
  }
}

// A label removed or the order changed: PostgreSQL cannot drop a label, so
// the type is rebuilt. The old type is renamed aside, the new one created,
// the columns converted through text (kTables, diff_tables) and the old type
// dropped. Also used to add labels that the same script uses (see
// diff_enums): the labels of a type created in a transaction are usable in
// it at once, unlike those of ADD VALUE.
void rebuild_enum(const EnumType& o, const EnumType& e, Plan& plan, const std::string& used) {
  QualifiedName aside{e.name.schema, e.name.name + "__migrate_old"};
  plan.add(kCreateTypes, ops::RenameEnum{e.name, aside.name}, false);
  std::vector<std::string> removed;
  for (const auto& l : o.labels)
    if (std::find(e.labels.begin(), e.labels.end(), l) == e.labels.end()) removed.push_back(l);
  create_enum(e, ops::EnumRebuild{removed, used}, plan);
  plan.add(kDropTypes, ops::DropEnum{aside, e.name, removed}, false);
  plan.rebuilt_enums[e.name] = !removed.empty();
}

// Whether `to` holds `'label'::type` where the server checks it when the
// object is created -- a default, constraint or index that uses the type (as
// pg_depend records), a view, a trigger, a function: such a label cannot be
// added with ADD VALUE in the same transaction ("unsafe use of new value").
bool label_used(const Schema& to, const EnumType& e, const std::string& label) {
  const std::string needle = literal(label) + "::" + qualified(e.name);
  auto in = [&](const std::string& text) { return text.find(needle) != std::string::npos; };
  auto uses_type = [&](const Uses& uses) {
    return std::find(uses.types.begin(), uses.types.end(), e.name) != uses.types.end();
  };
  for (const auto& t : to.tables) {
    for (const auto& c : t.columns)
      if (uses_type(c.uses) && ((c.default_expr && in(*c.default_expr)) || in(c.generated)))
        return true;
    for (const auto& k : t.constraints)
      if (uses_type(k.uses) && in(k.definition)) return true;
    for (const auto& i : t.indexes)
      if (uses_type(i.uses) && in(i.definition)) return true;
  }
  for (const auto& v : to.views)
    if (in(v.definition)) return true;
  for (const auto& tr : to.triggers)
    if (in(tr.definition)) return true;
  for (const auto& f : to.functions)
    if (in(f.definition)) return true;
  return false;
}

bool same_options(const Sequence& a, const Sequence& b) {
  return a.type == b.type && a.start == b.start && a.increment == b.increment &&
         a.min_value == b.min_value && a.max_value == b.max_value && a.cache == b.cache &&
         a.cycle == b.cycle;
}

}  // namespace

void diff_enums(const Schema& from, const Schema& to, Plan& plan) {
  for (const auto* s : {&from, &to})
    for (const auto& e : s->enums) plan.enum_types.insert(qualified(e.name));
  match_by_name(
      from.enums, to.enums, [&](const EnumType& e) { create_enum(e, std::nullopt, plan); },
      [&](const EnumType& o, const EnumType& e) {
        if (o.labels != e.labels) {
          std::string used;
          for (const auto& l : e.labels)
            if (std::find(o.labels.begin(), o.labels.end(), l) == o.labels.end() &&
                label_used(to, e, l))
              used = l;
          if (!o.labels.empty() && is_subsequence(o.labels, e.labels) && used.empty()) {
            add_labels(o, e, plan);
          } else {
            rebuild_enum(o, e, plan, used);
            return;  // the new type got its comment
          }
        }
        if (o.comment != e.comment)
          plan.add(kComments, ops::Comment{ops::Comment::On::kEnum, e.name, "", "", e.comment});
      },
      [&](const EnumType& o) {
        plan.add(kDropTypes, ops::DropEnum{o.name, {}, {}});
      });
}

void diff_sequences(const Schema& from, const Schema& to, Plan& plan) {
  std::map<QualifiedName, const Sequence*> old_seqs;
  for (const auto& s : from.sequences) old_seqs[s.name] = &s;
  std::set<QualifiedName> kept;
  for (const auto& s : to.sequences) {
    auto it = old_seqs.find(s.name);
    const Sequence* o = it == old_seqs.end() ? nullptr : it->second;
    // A sequence whose owning column is dropped goes with it.
    if (o && !o->owned_by.empty() && plan.dropped_owners.count(o->owned_by)) o = nullptr;
    if (!o) {
      plan.add(kCreateSequences, ops::CreateSequence{s});
      if (!s.owned_by.empty())
        plan.add(kSequenceOwnership, ops::SetSequenceOwner{s.name, s.owned_by}, false);
      continue;
    }
    kept.insert(s.name);
    if (!same_options(*o, s)) plan.add(kCreateSequences, ops::AlterSequence{*o, s});
    if (o->owned_by != s.owned_by)
      plan.add(kSequenceOwnership, ops::SetSequenceOwner{s.name, s.owned_by});
  }
  for (const auto& s : from.sequences) {
    if (kept.count(s.name)) continue;
    if (!s.owned_by.empty() && plan.dropped_owners.count(s.owned_by)) {
      // Dropped by the server with its column; reported unless created again.
      bool again = std::any_of(to.sequences.begin(), to.sequences.end(),
                               [&](const Sequence& n) { return n.name == s.name; });
      plan.add(kDropSequences, ops::DropSequence{s, true}, !again);
      continue;
    }
    plan.add(kDropSequences, ops::DropSequence{s, false});
  }
}

}  // namespace migrate::schema::postgres
