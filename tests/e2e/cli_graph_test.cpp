// End to end: branches, merges, labels, dependencies and stamp, checked in
// the real version table of a real SQLite file.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// base -> {left (label l), right (label r)} -> merge
void diamond(const e2e::Project& p) {
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"l"});
  p.add_table_rev("left2", {"left1"});
  p.add_table_rev("right1", {"base0"}, {"r"});
  p.add_table_rev("merge9", {"left2", "right1"});
}

}  // namespace

TEST_CASE("branches are upgraded separately and merged in the version table", "[e2e][graph]") {
  e2e::Project p;
  diamond(p);

  REQUIRE_THAT(p.run({"upgrade", "left2"}), ExitedWith(0));
  CHECK(p.version() == V{"left2"});
  CHECK(p.tables() == V{"t_base0", "t_left1", "t_left2"});

  REQUIRE_THAT(p.run({"upgrade", "right1"}), ExitedWith(0));
  CHECK(p.version() == V{"left2", "right1"});

  auto up = p.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("Running upgrade left2, right1 -> merge9"));
  CHECK(p.version() == V{"merge9"});

  // One step down from a merge point is ambiguous (as in Alembic): refused,
  // nothing changes.
  auto amb = p.run({"downgrade", "-1"});
  CHECK_THAT(amb, ExitedWith(1));
  CHECK(p.version() == V{"merge9"});

  // Going below the merge point unmerges: both parents are heads again.
  REQUIRE_THAT(p.run({"downgrade", "left2"}), ExitedWith(0));
  CHECK(p.version() == V{"left2", "right1"});
  CHECK(p.tables() == V{"t_base0", "t_left1", "t_left2", "t_right1"});

  // Downgrading one branch leaves the other alone.
  REQUIRE_THAT(p.run({"downgrade", "l@base0"}), ExitedWith(0));
  CHECK(p.version() == V{"right1"});
  CHECK(p.tables() == V{"t_base0", "t_right1"});

  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  CHECK(p.version().empty());
  CHECK(p.tables().empty());

  // A label names its whole branch, descendants included: l@head is the
  // merge (Alembic's semantics), so both branches come up.
  REQUIRE_THAT(p.run({"upgrade", "l@head"}), ExitedWith(0));
  CHECK(p.version() == V{"merge9"});

  auto hist = p.run({"history"});
  REQUIRE_THAT(hist, ExitedWith(0));
  CHECK_THAT(hist.out, Contains("left2, right1 -> merge9 (l, r) (head) (mergepoint), rev merge9"));
  CHECK_THAT(hist.out, Contains("<base> -> base0 (branchpoint), rev base0"));
  CHECK_THAT(hist.out, Contains("base0 -> left1 (l), rev left1"));
  // Labels are inherited along the branch, as Alembic shows them.
  CHECK_THAT(hist.out, Contains("left1 -> left2 (l), rev left2"));

  auto br = p.run({"branches"});
  REQUIRE_THAT(br, ExitedWith(0));
  CHECK_THAT(br.out, Contains("base0 (branchpoint)"));
  CHECK_THAT(br.out, Contains("-> left1 (l), rev left1"));
  CHECK_THAT(br.out, Contains("-> right1 (r), rev right1"));
}

TEST_CASE("'upgrade head' with several heads is refused, pointing at heads and label@head",
          "[e2e][graph]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"l"});
  p.add_table_rev("right1", {"base0"}, {"r"});
  auto r = p.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("heads"));
  CHECK_THAT(r.err, Contains("LABEL@head"));
  CHECK_FALSE((std::filesystem::exists(p.db()) && !p.version().empty()));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.version() == V{"left1", "right1"});
}

TEST_CASE("depends_on applies the dependency first but never stores it as a head", "[e2e][graph]") {
  e2e::Project p;
  p.add_table_rev("a1", {}, {"alpha"});
  p.add_table_rev("a2", {"a1"});
  p.add_table_rev("b1", {}, {"beta"});
  p.add_table_rev("b2", {"b1"}, {}, {"a2"});

  auto r = p.run({"upgrade", "beta@head"});
  REQUIRE_THAT(r, ExitedWith(0));
  // a1 and a2 ran because b2 depends on a2; a2 is implied by b2, so only b2
  // is stored (Alembic merges the dependency's row into the dependent's).
  CHECK(p.tables() == V{"t_a1", "t_a2", "t_b1", "t_b2"});
  CHECK(p.version() == V{"b2"});
  REQUIRE_THAT(r.out, Contains("-> a2"));
  REQUIRE_THAT(r.out, Contains("-> b2"));
  CHECK(r.out.find("-> a2") < r.out.find("-> b2"));

  // Downgrading the dependency takes its dependent down first.
  REQUIRE_THAT(p.run({"downgrade", "alpha@a1"}), ExitedWith(0));
  CHECK(p.version() == V{"a1", "b1"});
  CHECK(p.tables() == V{"t_a1", "t_b1"});
}

TEST_CASE("stamp changes only the version table", "[e2e][stamp]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  auto r = p.run({"stamp", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(p.version() == V{"b2"});
  CHECK(p.tables().empty());
  CHECK(p.rows("SELECT direction FROM migrate_history") == V{"stamp"});

  REQUIRE_THAT(p.run({"stamp", "a1"}), ExitedWith(0));
  CHECK(p.version() == V{"a1"});
  REQUIRE_THAT(p.run({"stamp", "base"}), ExitedWith(0));
  CHECK(p.version().empty());

  // --purge recovers from a version table naming a revision that is gone.
  REQUIRE_THAT(p.run({"stamp", "b2"}), ExitedWith(0));
  std::filesystem::remove(p.rev_path("b2"));
  auto cur = p.run({"current"});
  CHECK_THAT(cur, ExitedWith(1));
  CHECK_THAT(cur.err, Contains("b2"));
  auto bad = p.run({"stamp", "a1"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK(p.version() == V{"b2"});
  REQUIRE_THAT(p.run({"stamp", "--purge", "a1"}), ExitedWith(0));
  CHECK(p.version() == V{"a1"});
}

TEST_CASE("merge writes a revision joining the heads", "[e2e][merge]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"});
  p.add_table_rev("right1", {"base0"});
  auto r = p.run({"merge", "heads", "-m", "join", "--rev-id", "m1"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto j = nlohmann::json::parse(p.run({"heads", "--json"}).out);
  REQUIRE(j["heads"].size() == 1);
  CHECK(j["heads"][0]["revision"] == "m1");
  CHECK(j["heads"][0]["down_revisions"] == nlohmann::json::array({"left1", "right1"}));
  CHECK(j["heads"][0]["is_merge_point"] == true);
  auto nothing = p.run({"merge", "heads", "-m", "again"});
  CHECK_THAT(nothing, ExitedWith(1));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.version() == V{"m1"});
}
