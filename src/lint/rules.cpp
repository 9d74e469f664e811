#include "lint/rules.h"

namespace migrate::lint {

namespace {

constexpr Severity E = Severity::error;
constexpr Severity W = Severity::warning;
constexpr bool kOn = true, kOff = false;
constexpr bool kPg = true, kLite = true, kNoLite = false;

// In RuleId order (checked by the unit test).
const std::vector<Rule>& catalogue() {
  static const std::vector<Rule> rules = {
      {RuleId::delete_without_where, "delete-without-where", Category::data, E, kOn, kPg, kLite,
       "DELETE without a WHERE clause, or with one that is always true (1=1, true)",
       "add a WHERE that names the rows to remove; if every row really must go, say so with "
       "`-- migrate:expect-rows any` on the line before the statement"},
      {RuleId::update_without_where, "update-without-where", Category::data, E, kOn, kPg, kLite,
       "UPDATE without a WHERE clause, or with one that is always true (1=1, true)",
       "add a WHERE that names the rows to change; if every row really must change, say so with "
       "`-- migrate:expect-rows any` on the line before the statement (and consider a batched "
       "backfill for a large table)"},
      {RuleId::merge_without_condition, "merge-without-condition", Category::data, E, kOn, kPg,
       kNoLite, "MERGE whose join condition is always true and that updates or deletes",
       "join on a key (ON t.id = s.id); if every row really is meant, say so with "
       "`-- migrate:expect-rows any` on the line before the statement"},
      {RuleId::truncate_table, "truncate-table", Category::data, W, kOn, kPg, kNoLite,
       "TRUNCATE empties whole tables (with CASCADE, every table that references them too) under "
       "an ACCESS EXCLUSIVE lock",
       "DELETE the rows you mean with a WHERE (in batches for a large table); never CASCADE in a "
       "migration"},
      {RuleId::drop_table, "drop-table", Category::data, W, kOn, kPg, kLite,
       "DROP TABLE of a table that exists before this run: its data is gone",
       "stop using the table in the application first, release that, then drop it in a later "
       "revision (the contract phase of `migrate revision --expand-contract`); keep a backup"},
      {RuleId::drop_schema, "drop-schema", Category::data, W, kOn, kPg, kNoLite,
       "DROP SCHEMA removes every object in it (with CASCADE, silently)",
       "drop the objects one by one in revisions you can review, and the empty schema last, "
       "without CASCADE"},
      {RuleId::drop_column, "drop-column", Category::data, W, kOn, kPg, kLite,
       "ALTER TABLE ... DROP COLUMN: the column's data is gone, and running code that still "
       "reads it breaks",
       "stop reading and writing the column in the application, release that, then drop it in "
       "a later revision (`migrate revision --expand-contract`)"},
      {RuleId::unique_on_existing_data, "unique-on-existing-data", Category::data, W, kOn, kPg,
       kNoLite,
       "a unique index or UNIQUE/PRIMARY KEY constraint on an existing table fails when the "
       "data already holds duplicates",
       "look for duplicates first (SELECT key, count(*) ... GROUP BY key HAVING count(*) > 1), "
       "then CREATE UNIQUE INDEX CONCURRENTLY in a `transactional: false` revision"},
      {RuleId::transaction_control, "transaction-control", Category::transactions, E, kOn, kPg,
       kLite, "BEGIN, COMMIT, ROLLBACK or END inside a transactional step",
       "remove it: each step already runs in its own transaction; for statements that must run "
       "outside one, put `transactional: false` in the revision's header"},
      {RuleId::concurrently_in_transaction, "concurrently-in-transaction", Category::transactions,
       E, kOn, kPg, kLite,
       "a statement that cannot run inside a transaction block (CONCURRENTLY, VACUUM, ...) in a "
       "transactional step",
       "add `transactional: false` to the revision's header to run its statements one by one "
       "outside a transaction"},
      {RuleId::index_without_concurrently, "index-without-concurrently", Category::locks, W, kOn,
       kPg, kNoLite,
       "CREATE INDEX without CONCURRENTLY on an existing table blocks every write to it until "
       "the index is built",
       "CREATE INDEX CONCURRENTLY in a revision with `transactional: false`"},
      {RuleId::drop_index_without_concurrently, "drop-index-without-concurrently", Category::locks,
       W, kOn, kPg, kNoLite,
       "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table",
       "DROP INDEX CONCURRENTLY in a revision with `transactional: false`"},
      {RuleId::reindex_without_concurrently, "reindex-without-concurrently", Category::locks, W,
       kOn, kPg, kNoLite, "REINDEX without CONCURRENTLY blocks writes (and reads using the index)",
       "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a revision with `transactional: false`"},
      {RuleId::constraint_without_not_valid, "constraint-without-not-valid", Category::locks, W,
       kOn, kPg, kNoLite,
       "a CHECK or FOREIGN KEY constraint added to an existing table without NOT VALID scans the "
       "whole table while holding a lock that blocks writes",
       "ADD CONSTRAINT ... NOT VALID in one revision, then ALTER TABLE ... VALIDATE CONSTRAINT in "
       "a later one (validation takes a lock that lets writes through)"},
      {RuleId::validate_in_same_transaction, "validate-in-same-transaction", Category::locks, W,
       kOn, kPg, kNoLite,
       "VALIDATE CONSTRAINT in the same transaction as the NOT VALID add: the add's lock is still "
       "held while the whole table is scanned",
       "validate in a later revision (or a `transactional: false` one), so the add's lock is "
       "released first"},
      {RuleId::constraint_builds_index, "constraint-builds-index", Category::locks, W, kOn, kPg,
       kNoLite,
       "ADD UNIQUE or PRIMARY KEY on an existing table builds its index under an ACCESS "
       "EXCLUSIVE lock",
       "CREATE UNIQUE INDEX CONCURRENTLY first (`transactional: false`), then ADD CONSTRAINT ... "
       "UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)"},
      {RuleId::set_not_null, "set-not-null", Category::locks, W, kOn, kPg, kNoLite,
       "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a validated "
       "CHECK (col IS NOT NULL) already proves it",
       "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT c in a later "
       "revision, then SET NOT NULL (instant on PostgreSQL 12+) and drop the check"},
      {RuleId::add_column_not_null_without_default, "add-column-not-null-without-default",
       Category::locks, W, kOn, kPg, kNoLite,
       "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows",
       "add the column with a DEFAULT (a constant: no rewrite on PostgreSQL 11+), or add it "
       "nullable, backfill, then SET NOT NULL the safe way"},
      {RuleId::volatile_default, "volatile-default", Category::locks, W, kOn, kPg, kNoLite,
       "ADD COLUMN with a volatile default (random(), clock_timestamp(), gen_random_uuid(), "
       "nextval(), serial) rewrites the whole table under an ACCESS EXCLUSIVE lock",
       "add the column without a default (or with a constant one), set the default for new rows "
       "with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches"},
      {RuleId::stored_generated_column, "stored-generated-column", Category::locks, W, kOn, kPg,
       kNoLite,
       "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the whole table under an ACCESS "
       "EXCLUSIVE lock",
       "add a plain column, fill it with a trigger for new rows and a batched backfill for old "
       "ones, or compute the value in a view"},
      {RuleId::column_type_change, "column-type-change", Category::locks, W, kOn, kPg, kNoLite,
       "ALTER COLUMN ... TYPE that rewrites the table (and its indexes) under an ACCESS "
       "EXCLUSIVE lock; binary-compatible changes (varchar(n) to a larger n or to text, "
       "numeric(p,s) to a larger p) are not reported",
       "add a new column of the new type, backfill it, switch the application, then drop the "
       "old one (`migrate revision --expand-contract`)"},
      {RuleId::vacuum_full, "vacuum-full", Category::locks, W, kOn, kPg, kNoLite,
       "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
       "plain VACUUM (no lock on writes), or pg_repack to reclaim space online"},
      {RuleId::cluster, "cluster", Category::locks, W, kOn, kPg, kNoLite,
       "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
       "pg_repack --order-by, which reorders the table online"},
      {RuleId::work_after_access_exclusive, "work-after-access-exclusive", Category::locks, W, kOn,
       kPg, kNoLite,
       "more statements after one that took an ACCESS EXCLUSIVE lock in the same transactional "
       "step: the lock, which blocks even reads, is held until the step commits",
       "put the statement that takes the ACCESS EXCLUSIVE lock in a revision of its own (or "
       "last in its step), so the lock is released as soon as it is done"},
      {RuleId::rename_table, "rename-table", Category::compatibility, W, kOn, kPg, kLite,
       "RENAME of a table: the running application still uses the old name and breaks",
       "`migrate revision --expand-contract`: a new table kept in sync while both versions of "
       "the application run, the old one dropped once nothing uses it"},
      {RuleId::rename_column, "rename-column", Category::compatibility, W, kOn, kPg, kLite,
       "RENAME COLUMN: the running application still uses the old name and breaks",
       "`migrate revision --expand-contract`: add the new column, keep both in sync, switch the "
       "application, then drop the old one"},
      {RuleId::drop_not_null, "drop-not-null", Category::compatibility, W, kOn, kPg, kNoLite,
       "DROP NOT NULL: code that relies on the column always having a value now reads NULLs",
       "release readers that handle NULL first; then drop the constraint"},
      {RuleId::drop_foreign_key, "drop-foreign-key", Category::compatibility, W, kOn, kPg, kNoLite,
       "dropping a foreign key: nothing keeps the rows consistent any more",
       "make sure the application no longer relies on the reference (or replace it with NOT "
       "VALID + VALIDATE of a new one) before dropping it"},
      {RuleId::prefer_bigint, "prefer-bigint", Category::style, W, kOff, kPg, kNoLite,
       "integer or smallint column: 32-bit keys and counters run out",
       "use bigint; changing the type later rewrites the table"},
      {RuleId::prefer_timestamptz, "prefer-timestamptz", Category::style, W, kOff, kPg, kNoLite,
       "timestamp without time zone: the moment it means depends on the session's time zone",
       "use timestamptz (timestamp with time zone)"},
      {RuleId::prefer_text, "prefer-text", Category::style, W, kOff, kPg, kNoLite,
       "varchar(n) or char(n): raising the limit later is a migration, lowering it a rewrite",
       "use text, with a CHECK (length(col) <= n) when a limit is needed"},
      {RuleId::prefer_identity, "prefer-identity", Category::style, W, kOff, kPg, kNoLite,
       "serial or bigserial: an owned sequence with awkward permissions and copy semantics",
       "bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT)"},
      {RuleId::bad_ignore, "bad-ignore", Category::lint, E, kOn, kPg, kLite,
       "a `-- migrate:lint-ignore` without a reason, or naming an unknown rule",
       "write `-- migrate:lint-ignore RULE[,RULE] REASON`, with the rule ids from `migrate lint` "
       "and why the statement is safe here"},
      {RuleId::unused_ignore, "unused-ignore", Category::lint, W, kOn, kPg, kLite,
       "a `-- migrate:lint-ignore` that silences nothing (no such finding on the statement "
       "below it, or no statement right below it)",
       "remove it, or move it to the line right before the statement it is meant for"},
      {RuleId::not_converted, "not-converted", Category::lint, E, kOn, kPg, kLite,
       "a `-- migrate:not-converted` line: `migrate import` could not turn this step of the "
       "other tool's revision into SQL (Alembic code that reads data, a Flyway placeholder)",
       "write the step by hand in SQL (the other tool's code is in the comments below the line), "
       "then delete the `-- migrate:not-converted` line"},
      {RuleId::parse_error, "parse-error", Category::lint, W, kOn, kPg, kLite,
       "SQL the dialect's parser rejects: nothing in that section was checked",
       "fix the syntax (the database would refuse the step as well)"},
  };
  return rules;
}

}  // namespace

const char* category_name(Category c) {
  switch (c) {
    case Category::data:
      return "data";
    case Category::locks:
      return "locks";
    case Category::compatibility:
      return "compatibility";
    case Category::transactions:
      return "transactions";
    case Category::style:
      return "style";
    case Category::lint:
      return "lint";
  }
  return "?";
}

const char* severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

const std::vector<Rule>& all_rules() { return catalogue(); }

const Rule& rule(RuleId id) { return catalogue()[static_cast<std::size_t>(id)]; }

const Rule* find_rule(std::string_view name) {
  for (const auto& r : catalogue())
    if (name == r.name) return &r;
  return nullptr;
}

}  // namespace migrate::lint
