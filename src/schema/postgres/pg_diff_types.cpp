// Enum types and sequences.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

std::string label_list(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += (out.empty() ? "" : ", ") + literal(l);
  return out;
}

// True when `a`'s labels appear in `b` in the same order (so `b` is reached
// from `a` by ADD VALUE alone).
bool is_subsequence(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t i = 0;
  for (const auto& l : b)
    if (i < a.size() && a[i] == l) ++i;
  return i == a.size();
}

void create_enum(const EnumType& e, Plan& plan) {
  plan.add(kCreateTypes,
           fmt::format("CREATE TYPE {} AS ENUM ({})", qualified(e.name), label_list(e.labels)));
  if (!e.comment.empty()) plan.add(kComments, comment_sql("TYPE " + qualified(e.name), e.comment));
}

// ADD VALUE for each new label, in `to`'s order: the label before it in
// `to` already exists when it is added (or, for a new first label, the old
// first label follows it).
void add_labels(const EnumType& o, const EnumType& e, Plan& plan) {
  for (std::size_t i = 0; i < e.labels.size(); ++i) {
    const std::string& label = e.labels[i];
    if (std::find(o.labels.begin(), o.labels.end(), label) != o.labels.end()) continue;
    std::string where =
        i > 0 ? "AFTER " + literal(e.labels[i - 1]) : "BEFORE " + literal(o.labels.front());
    plan.add(kCreateTypes, fmt::format("ALTER TYPE {} ADD VALUE {} {}", qualified(e.name),
                                       literal(label), where));
    plan.change(fmt::format("add value '{}' to enum {}", label, display(e.name)));
  }
}

// A label removed or the order changed: PostgreSQL cannot drop a label, so
// the type is rebuilt. The old type is renamed aside, the new one created,
// the columns converted through text (kTables, diff_tables) and the old type
// dropped. Also used to add labels that the same script uses (see
// diff_enums): the labels of a type created in a transaction are usable in
// it at once, unlike those of ADD VALUE.
void rebuild_enum(const EnumType& o, const EnumType& e, Plan& plan, const std::string& why) {
  QualifiedName aside{e.name.schema, e.name.name + "__migrate_old"};
  plan.add(kCreateTypes,
           fmt::format("ALTER TYPE {} RENAME TO {}", qualified(e.name), ident(aside.name)));
  create_enum(e, plan);
  std::vector<std::string> removed;
  for (const auto& l : o.labels)
    if (std::find(e.labels.begin(), e.labels.end(), l) == e.labels.end()) removed.push_back(l);
  if (removed.empty())
    plan.add(kDropTypes, "DROP TYPE " + qualified(aside));
  else
    plan.add_destructive(kDropTypes, "DROP TYPE " + qualified(aside),
                         fmt::format("enum {} loses label(s) {}: converting a row that holds "
                                     "one fails",
                                     display(e.name), label_list(removed)));
  plan.rebuilt_enums[e.name] = !removed.empty();
  plan.change(fmt::format("rebuild enum {} ({})", display(e.name),
                          removed.empty() ? why : "it loses value(s) " + label_list(removed)));
}

// The canonical texts of `to` that hold `'label'::type` (defaults, constraints,
// indexes, views, triggers, functions): such a label cannot be added with
// ADD VALUE in the same transaction ("unsafe use of new value").
bool label_used(const Schema& to, const EnumType& e, const std::string& label) {
  const std::string needle = literal(label) + "::" + qualified(e.name);
  auto in = [&](const std::string& text) { return text.find(needle) != std::string::npos; };
  if (table_texts_contain(to, needle)) return true;
  for (const auto& v : to.views)
    if (in(v.definition)) return true;
  for (const auto& tr : to.triggers)
    if (in(tr.definition)) return true;
  for (const auto& f : to.functions)
    if (in(f.definition)) return true;
  return false;
}

std::string sequence_options(const Sequence& s) {
  return fmt::format("AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
                     s.type, s.increment, s.min_value, s.max_value, s.start, s.cache,
                     s.cycle ? "CYCLE" : "NO CYCLE");
}

bool same_options(const Sequence& a, const Sequence& b) {
  return a.type == b.type && a.start == b.start && a.increment == b.increment &&
         a.min_value == b.min_value && a.max_value == b.max_value && a.cache == b.cache &&
         a.cycle == b.cycle;
}

}  // namespace

void diff_enums(const Schema& from, const Schema& to, Plan& plan) {
  std::map<QualifiedName, const EnumType*> old_enums;
  for (const auto& e : from.enums) old_enums[e.name] = &e;
  std::set<QualifiedName> kept;
  for (const auto& e : to.enums) {
    auto it = old_enums.find(e.name);
    if (it == old_enums.end()) {
      create_enum(e, plan);
      plan.change("add enum " + display(e.name));
      continue;
    }
    kept.insert(e.name);
    const EnumType& o = *it->second;
    if (o.labels != e.labels) {
      std::string used;
      for (const auto& l : e.labels)
        if (std::find(o.labels.begin(), o.labels.end(), l) == o.labels.end() &&
            label_used(to, e, l))
          used = l;
      if (!o.labels.empty() && is_subsequence(o.labels, e.labels) && used.empty()) {
        add_labels(o, e, plan);
      } else {
        rebuild_enum(o, e, plan,
                     used.empty() ? "its labels are reordered"
                                  : "new value " + literal(used) +
                                        " is used by the same script, which ADD VALUE forbids");
        continue;  // the new type got its comment
      }
    }
    if (o.comment != e.comment) {
      plan.add(kComments, comment_sql("TYPE " + qualified(e.name), e.comment));
      plan.change("comment on enum " + display(e.name));
    }
  }
  for (const auto& e : from.enums)
    if (!kept.count(e.name)) {
      plan.add(kDropTypes, "DROP TYPE " + qualified(e.name));
      plan.change("drop enum " + display(e.name));
    }
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
      plan.add(kCreateSequences,
               fmt::format("CREATE SEQUENCE {} {}", qualified(s.name), sequence_options(s)));
      if (!s.owned_by.empty())
        plan.add(kSequenceOwnership,
                 fmt::format("ALTER SEQUENCE {} OWNED BY {}", qualified(s.name), s.owned_by));
      plan.change("add sequence " + display(s.name));
      continue;
    }
    kept.insert(s.name);
    if (!same_options(*o, s)) {
      plan.add(kCreateSequences,
               fmt::format("ALTER SEQUENCE {} {}", qualified(s.name), sequence_options(s)));
      plan.change("alter sequence " + display(s.name));
    }
    if (o->owned_by != s.owned_by) {
      plan.add(kSequenceOwnership, fmt::format("ALTER SEQUENCE {} OWNED BY {}", qualified(s.name),
                                               s.owned_by.empty() ? "NONE" : s.owned_by));
      plan.change("change the owner of sequence " + display(s.name));
    }
  }
  for (const auto& s : from.sequences) {
    if (kept.count(s.name)) continue;
    if (!s.owned_by.empty() && plan.dropped_owners.count(s.owned_by)) {
      if (!std::any_of(to.sequences.begin(), to.sequences.end(),
                       [&](const Sequence& n) { return n.name == s.name; }))
        plan.change("drop sequence " + display(s.name) + " (with its column)");
      continue;
    }
    plan.add(kDropSequences, "DROP SEQUENCE " + qualified(s.name));
    plan.change("drop sequence " + display(s.name));
  }
}

}  // namespace migrate::schema::postgres
