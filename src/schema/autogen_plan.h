// What `revision --autogenerate` writes for a Diff: one or more chained
// steps (each one revision file), and the changes it will not write as a
// one-step ALTER but offers as an expand/contract PLAN.yaml instead. Each
// dialect decides (backend/backend.h: Backend::autogen_plan): SQLite keeps
// the diff as one transactional step; PostgreSQL writes the lock-safe forms
// the linter asks for (schema/postgres/pg_autogen.h, docs/safety.md).
#pragma once

#include <string>
#include <vector>

#include "schema/diff.h"
#include "schema/model.h"

namespace migrate::schema {

struct AutogenStep {
  bool transactional = true;  // false: the revision's header says `transactional: false`
  std::vector<DiffStatement> statements;
  std::string purpose;  // for the message and the file's name ("", "concurrent indexes")
};

// A change on an existing table that breaks the application still running
// when done in one step (a column rename, a type change that rewrites): the
// expand/contract plan that does it safely (`revision --expand-contract`).
struct ExpandOffer {
  QualifiedName table;
  std::string what;       // "rename column public.users.email to email_address"
  std::string operation;  // the PLAN.yaml operation line, e.g. "rename_column: {...}"
};

struct AutogenPlan {
  std::vector<AutogenStep> steps;  // in running order; none when nothing is left to write
  std::vector<ExpandOffer> offers;
};

// The Diff as one transactional step, as it is (no offers).
AutogenPlan one_step_plan(const Diff& up);

// The PLAN.yaml text for the offers on one table (`offers` all name it).
std::string expand_plan_yaml(const std::vector<ExpandOffer>& offers);

}  // namespace migrate::schema
