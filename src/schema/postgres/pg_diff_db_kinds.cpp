// Event triggers and publications: the database's own objects, in no schema.
#include "schema/postgres/pg_diff_match.h"
#include "schema/postgres/pg_diff_plan.h"

namespace migrate::schema::postgres {

namespace {

// An event trigger fires on the DDL that follows it in the same script (a
// COMMENT too): new ones are created after everything else, and those that
// go or change are dropped before anything else.
constexpr int kLast = 1 << 20, kFirst = -(1 << 20);

bool same_event_trigger(const EventTrigger& a, const EventTrigger& b) {
  return a.event == b.event && a.tags == b.tags && a.function == b.function;
}

}  // namespace

void diff_event_triggers(const Schema& from, const Schema& to, Plan& plan) {
  auto create = [&](const EventTrigger& e, bool recreated) {
    plan.ops.add(kComments, {ops::CreateEventTrigger{e, recreated}, true}, kLast);
  };
  auto drop = [&](const EventTrigger& o, bool replaced) {
    plan.ops.add(kDropTriggers, {ops::DropEventTrigger{o, replaced}, !replaced}, kFirst);
  };
  match_by_name(
      from.event_triggers, to.event_triggers, [&](const EventTrigger& e) { create(e, false); },
      [&](const EventTrigger& o, const EventTrigger& e) {
        // A function dropped and created again (its signature changes)
        // would take the trigger with it, or be refused while it is used.
        if (!same_event_trigger(o, e) || plan.recreated_functions.count(o.function)) {
          drop(o, true);
          create(e, true);
        } else if (o.enabled != e.enabled || o.comment != e.comment) {
          plan.ops.add(kComments, {ops::AlterEventTrigger{o, e}, true}, kLast);
        }
      },
      [&](const EventTrigger& o) { drop(o, false); });
}

void diff_publications(const Schema& from, const Schema& to, Plan& plan) {
  // Created and changed once every table, view and index is in place (a
  // table it names must exist; a row filter may use a column).
  match_by_name(
      from.publications, to.publications,
      [&](const Publication& p) {
        plan.add(kCreateTriggers, ops::CreatePublication{p, false});
      },
      [&](const Publication& o, const Publication& p) {
        if (o.all_tables != p.all_tables) {  // no ALTER between the two
          plan.add(kDropTriggers, ops::DropPublication{o, true}, false);
          plan.add(kCreateTriggers, ops::CreatePublication{p, true});
          return;
        }
        // Its tables as the script leaves them before the ALTER: a dropped
        // table has left it (with the table), a renamed one keeps its place
        // under its new name.
        Publication before = o;
        before.relations.clear();
        for (const auto& r : o.relations) {
          if (plan.dropped_tables.count(r)) continue;
          auto renamed = plan.renamed_tables.find(r);
          before.relations.push_back(renamed == plan.renamed_tables.end() ? r : renamed->second);
        }
        // A table it names that the plan drops and creates again (it
        // becomes partitioned...) comes back outside the publication.
        bool reset = false;
        for (const auto& r : p.relations) reset = reset || plan.dropped_tables.count(r) > 0;
        if (o.publish != p.publish || o.via_root != p.via_root || o.tables != p.tables ||
            o.schemas != p.schemas || o.comment != p.comment || reset)
          plan.add(kCreateTriggers, ops::AlterPublication{before, p, reset});
      },
      [&](const Publication& o) {
        plan.add(kDropTriggers, ops::DropPublication{o, false});
      });
}

}  // namespace migrate::schema::postgres
