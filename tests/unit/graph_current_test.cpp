// RevisionGraph::effective_current: what `migrate current` shows, checked
// against cases worked out with Alembic 1.8.1's get_all_current (and, on
// random graphs, by tests/oracle/alembic_oracle.py).
#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "unit/graph_fixtures.h"

using Catch::Matchers::Contains;
using graphtest::graph_of;
using V = std::vector<std::string>;

namespace {

// The sample project's shape: users <- sessions (crud) <- todos, and
// users <- accounts (payments) <- transfers, which depends on sessions.
const auto& sample() {
  static const auto g = graph_of({{"users", {}},
                                  {"sessions", {"users"}, {}, {"crud"}},
                                  {"todos", {"sessions"}},
                                  {"accounts", {"users"}, {}, {"payments"}},
                                  {"transfers", {"accounts"}, {"sessions"}},
                                  {"keys", {"transfers"}}});
  return g;
}

}  // namespace

TEST_CASE("current adds revisions applied only as a dependency", "[graph][current]") {
  const auto& g = sample();
  // `upgrade transfers` from nothing stores only transfers; sessions was
  // applied as its dependency and nothing above it is applied.
  CHECK(g.effective_current({"transfers"}) == V{"transfers", "sessions"});
  CHECK(g.effective_current({"keys"}) == V{"keys", "sessions"});
  // Once todos (above sessions) is stored too, sessions is no longer on top.
  CHECK(g.effective_current({"keys", "todos"}) == V{"keys", "todos"});
  CHECK(g.effective_current({"todos", "keys"}) == V{"todos", "keys"});
  // Without dependencies it is the stored heads.
  CHECK(g.effective_current({"todos"}) == V{"todos"});
  CHECK(g.effective_current({"accounts"}) == V{"accounts"});
  CHECK(g.effective_current({}).empty());
}

TEST_CASE("current drops a stored head with an applied revision above it", "[graph][current]") {
  // a <- b, and c depends on b: a version table holding a and c (as `stamp
  // a c` leaves it) is effectively at b and c, as Alembic shows it.
  auto g = graph_of({{"a", {}}, {"b", {"a"}}, {"c", {}, {"b"}}});
  CHECK(g.effective_current({"a", "c"}) == V{"c", "b"});
  CHECK(g.effective_current({"c"}) == V{"c", "b"});
  CHECK(g.effective_current({"b", "c"}) == V{"b", "c"});
}

TEST_CASE("current refuses an unknown revision", "[graph][current]") {
  CHECK_THAT(testsupport::error_of([] { sample().effective_current({"zzz"}); }), Contains("zzz"));
}
