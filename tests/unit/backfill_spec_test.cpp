// The `backfill:` header section (backfill/spec.h), through the revision
// file parser: what it accepts and the errors, with their line.
#include <catch2/catch.hpp>

#include "script/revision_file.h"
#include "support/test_support.h"

using migrate::script::parse_revision_text;

namespace {

std::string file(const std::string& header) {
  return "-- revision: b2\n-- down_revision: a1\n" + header +
         "\n-- migrate:upgrade\n\n-- migrate:downgrade\n";
}

}  // namespace

TEST_CASE("backfill spec: every key read", "[backfill]") {
  auto rev = parse_revision_text(file("-- phase: backfill\n"
                                      "-- backfill:\n"
                                      "--   table: app.users\n"
                                      "--   key: [tenant, id]\n"
                                      "--   set:\n"
                                      "--     email_address: email\n"
                                      "--     amount: \"amount_cents / 100.0\"\n"
                                      "--   where: email_address IS NULL\n"
                                      "--   batch_rows: 500\n"
                                      "--   batch_time: 80ms\n"
                                      "--   pause: 1s"),
                                 "v/b2.sql");
  REQUIRE(rev.backfill);
  CHECK(rev.phase == migrate::script::Phase::kBackfill);
  CHECK(rev.backfill->table == "app.users");
  CHECK(rev.backfill->key == std::vector<std::string>{"tenant", "id"});
  REQUIRE(rev.backfill->set.size() == 2);
  CHECK(rev.backfill->set[0] == std::make_pair(std::string("email_address"), std::string("email")));
  CHECK(rev.backfill->set[1].second == "amount_cents / 100.0");
  CHECK(rev.backfill->where == "email_address IS NULL");
  CHECK(*rev.backfill->batch_rows == 500);
  CHECK(rev.backfill->batch_time->count() == 80);
  CHECK(rev.backfill->pause->count() == 1000);
}

TEST_CASE("backfill spec: copy batches of a table rebuild, with or without set", "[backfill]") {
  auto rev = parse_revision_text(file("-- phase: backfill\n"
                                      "-- backfill:\n"
                                      "--   table: main.users\n"
                                      "--   key: [id]\n"
                                      "--   copy_to: main.migrate_new_users\n"
                                      "--   copy:\n"
                                      "--     id: id\n"
                                      "--     phone: \"COALESCE(phone, '?')\""),
                                 "v/b2.sql");
  REQUIRE(rev.backfill);
  CHECK(rev.backfill->set.empty());
  CHECK(rev.backfill->copy_to == "main.migrate_new_users");
  REQUIRE(rev.backfill->copy.size() == 2);
  CHECK(rev.backfill->copy[1].second == "COALESCE(phone, '?')");
}

TEST_CASE("backfill spec: errors name the file and line", "[backfill]") {
  struct Case {
    std::string header, error;
  };
  const std::vector<Case> cases = {
      {"-- phase: later", "v/b2.sql:3: `phase` must be expand, backfill or contract"},
      {"-- backfill:\n--   table: t\n--   key: [id]\n--   set: {a: b}",
       "v/b2.sql:3: `backfill:` belongs to a `phase: backfill` revision only"},
      {"-- phase: backfill\n-- backfill:\n--   key: [id]\n--   set: {a: b}",
       "v/b2.sql:4: `backfill`: `table` is missing"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   set: {a: b}",
       "v/b2.sql:4: `backfill`: `key` is missing"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]",
       "v/b2.sql:4: `backfill`: `set` is missing or empty"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   set: {id: 1}",
       "v/b2.sql:4: `backfill`: `set` writes the key column `id`"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   set: {a: b}\n--   "
       "batch_rows: 0",
       "v/b2.sql:4: `backfill`: `batch_rows` must be at least 1"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   set: {a: b}\n--   "
       "batch_time: soon",
       "v/b2.sql:4: `backfill`: "},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   set: {a: b}\n--   "
       "limit: 3",
       "v/b2.sql:4: `backfill`: unknown key `limit`"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   copy: {id: id}",
       "v/b2.sql:4: `backfill`: `copy` and `copy_to` go together"},
      {"-- phase: backfill\n-- backfill:\n--   table: t\n--   key: [id]\n--   copy_to: s\n--   "
       "copy: {a: b}",
       "v/b2.sql:4: `backfill`: `copy` lacks the key column `id`"},
      {"-- message:\n--   a: b", "v/b2.sql:3: `message` must be a value or a list, not a mapping"},
  };
  for (const auto& c : cases) {
    INFO(c.header);
    std::string error =
        testsupport::error_of([&] { parse_revision_text(file(c.header), "v/b2.sql"); });
    CHECK(error.rfind(c.error, 0) == 0);
  }
}
