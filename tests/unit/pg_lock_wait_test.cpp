// What a step that hit lock_timeout waited for (the tables its statement
// names) and the pause before it is retried.
#include "db/postgres/pg_lock_wait.h"

#include <catch2/catch.hpp>

using migrate::db::postgres::describe_relations;
using migrate::db::postgres::format_delay;
using migrate::db::postgres::NamedRelation;
using migrate::db::postgres::relations_named;
using migrate::db::postgres::retry_delay;

namespace {

std::vector<std::string> displays(const std::string& sql) {
  std::vector<std::string> out;
  for (const NamedRelation& r : relations_named(sql)) out.push_back(r.display);
  return out;
}

}  // namespace

TEST_CASE("relations_named finds the tables a statement names, each once", "[pg_lock_wait]") {
  using V = std::vector<std::string>;
  CHECK(displays("ALTER TABLE accounts ADD COLUMN note text") == V{"accounts"});
  CHECK(displays("LOCK TABLE billing.invoices IN ACCESS EXCLUSIVE MODE") == V{"billing.invoices"});
  CHECK(displays("UPDATE a SET x = b.x FROM b WHERE a.id = b.id AND a.id IN (SELECT id FROM a)") ==
        V{"a", "b"});
  CHECK(displays("INSERT INTO t_log SELECT * FROM \"Mixed Case\"") == V{"t_log", "Mixed Case"});
  CHECK(displays("CREATE INDEX CONCURRENTLY i ON t (id)") == V{"t"});
  CHECK(displays("SELECT pg_sleep(1)").empty());
  CHECK(displays("this is not SQL").empty());

  // to_regclass gets quoted names, so case and odd characters survive.
  auto rels = relations_named("SELECT * FROM s.\"Mixed \"\"Case\"");
  REQUIRE(rels.size() == 1);
  CHECK(rels[0].regclass == "\"s\".\"Mixed \"\"Case\"");
}

TEST_CASE("describe_relations", "[pg_lock_wait]") {
  CHECK(describe_relations(relations_named("ALTER TABLE t ADD x int")) == "a lock on table \"t\"");
  CHECK(describe_relations(relations_named("SELECT * FROM a, b")) ==
        "a lock on one of the tables \"a\", \"b\"");
  CHECK(describe_relations({}) == "a lock");
}

TEST_CASE("retry_delay doubles from 500 ms, capped at 30 s, with jitter of +-50%",
          "[pg_lock_wait]") {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    for (int n = 1; n <= 12; ++n) {
      const double base = std::min(500.0 * (1 << (n - 1)), 30000.0);
      const auto d = retry_delay(n, rng).count();
      INFO("n=" << n << " delay=" << d);
      CHECK(d >= static_cast<long long>(base * 0.5));
      CHECK(d < static_cast<long long>(base * 1.5) + 1);
    }
  }
  CHECK(format_delay(std::chrono::milliseconds(250)) == "250ms");
  CHECK(format_delay(std::chrono::milliseconds(1400)) == "1.4s");
}
