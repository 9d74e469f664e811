// What `revision --autogenerate` writes on PostgreSQL: the diff's
// operations rewritten into the forms `migrate lint` accepts on a table
// that already has rows (docs/safety.md, "Autogenerate"):
//  - CREATE / DROP INDEX on an existing table: CONCURRENTLY, in a last
//    `transactional: false` step;
//  - CHECK and FOREIGN KEY on an existing table: ADD ... NOT VALID in the
//    transactional step, VALIDATE CONSTRAINT in the last step;
//  - SET NOT NULL on an existing column: CHECK (col IS NOT NULL) NOT VALID,
//    then (last step) VALIDATE, SET NOT NULL (proved by the check: no scan)
//    and the check dropped;
//  - UNIQUE / PRIMARY KEY on an existing table: CREATE UNIQUE INDEX
//    CONCURRENTLY with the key's options (pg_key_index.h), then ADD
//    CONSTRAINT ... USING INDEX after the SET NOT NULLs (last step);
//  - a FOREIGN KEY on a key the last step builds: in the last step after it
//    (NOT VALID, then VALIDATE), or it would fail for want of the key;
//  - ADD IDENTITY with its setval (the sequence past max(col)) in one
//    transaction, the setval lint-ignored; on a column made NOT NULL in the
//    same run, in a transactional step after the last one;
//  - a column rename or a type change that rewrites: not written, offered as
//    an expand/contract plan; a binary-compatible type change is written
//    with the lint-ignore that says why it is safe;
//  - the transactional operations cut into several steps where one would
//    keep an ACCESS EXCLUSIVE lock on one existing table while it works on
//    another (lint rule work-after-access-exclusive), but never between a
//    parked column's rename and its drop (ops::InheritColumn: the child has
//    no column of its name in between), whose statements carry the
//    lint-ignores that say why each is safe inside the step.
// New tables (absent from `from`) are left as the diff writes them.
#pragma once

#include "schema/autogen_plan.h"
#include "schema/diff.h"
#include "schema/model.h"

namespace migrate::schema::postgres {

// `up` is the diff from `from` to the wanted schema.
AutogenPlan autogen_plan(const Diff& up, const Schema& from);

// Whether changing a column's type from `from` to `to` (canonical type
// texts) keeps every stored value's bytes: no rewrite (varchar(n) to a
// larger n or to text, numeric(p,s) to a larger p, cidr to inet).
bool binary_compatible(const std::string& from, const std::string& to);

}  // namespace migrate::schema::postgres
