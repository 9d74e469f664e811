// End to end: branches, merges, labels, dependencies and stamp, checked in
// the real version table of a real SQLite file.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"

using testsupport::contains;
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

  REQUIRE(p.run({"upgrade", "left2"}).exit_code == 0);
  CHECK(p.version() == V{"left2"});
  CHECK(p.tables() == V{"t_base0", "t_left1", "t_left2"});

  REQUIRE(p.run({"upgrade", "right1"}).exit_code == 0);
  CHECK(p.version() == V{"left2", "right1"});

  auto up = p.run({"upgrade", "heads"});
  REQUIRE(up.exit_code == 0);
  CHECK(contains(up.out, "Running upgrade left2, right1 -> merge9"));
  CHECK(p.version() == V{"merge9"});

  // One step down from a merge point is ambiguous (as in Alembic): refused,
  // nothing changes.
  auto amb = p.run({"downgrade", "-1"});
  CHECK(amb.exit_code == 1);
  CHECK(p.version() == V{"merge9"});

  // Going below the merge point unmerges: both parents are heads again.
  REQUIRE(p.run({"downgrade", "left2"}).exit_code == 0);
  CHECK(p.version() == V{"left2", "right1"});
  CHECK(p.tables() == V{"t_base0", "t_left1", "t_left2", "t_right1"});

  // Downgrading one branch leaves the other alone.
  REQUIRE(p.run({"downgrade", "l@base0"}).exit_code == 0);
  CHECK(p.version() == V{"right1"});
  CHECK(p.tables() == V{"t_base0", "t_right1"});

  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.version().empty());
  CHECK(p.tables().empty());

  // A label names its whole branch, descendants included: l@head is the
  // merge (Alembic's semantics), so both branches come up.
  REQUIRE(p.run({"upgrade", "l@head"}).exit_code == 0);
  CHECK(p.version() == V{"merge9"});

  auto hist = p.run({"history"});
  REQUIRE(hist.exit_code == 0);
  CHECK(contains(hist.out, "left2, right1 -> merge9 (l, r) (head) (mergepoint), rev merge9"));
  CHECK(contains(hist.out, "<base> -> base0 (branchpoint), rev base0"));
  CHECK(contains(hist.out, "base0 -> left1 (l), rev left1"));
  // Labels are inherited along the branch, as Alembic shows them.
  CHECK(contains(hist.out, "left1 -> left2 (l), rev left2"));

  auto br = p.run({"branches"});
  REQUIRE(br.exit_code == 0);
  CHECK(contains(br.out, "base0 (branchpoint)"));
  CHECK(contains(br.out, "-> left1 (l), rev left1"));
  CHECK(contains(br.out, "-> right1 (r), rev right1"));
}

TEST_CASE("'upgrade head' with several heads is refused, pointing at heads and label@head",
          "[e2e][graph]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"l"});
  p.add_table_rev("right1", {"base0"}, {"r"});
  auto r = p.run({"upgrade", "head"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "heads"));
  CHECK(contains(r.err, "LABEL@head"));
  CHECK_FALSE((std::filesystem::exists(p.db()) && !p.version().empty()));
  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  CHECK(p.version() == V{"left1", "right1"});
}

TEST_CASE("depends_on applies the dependency first but never stores it as a head", "[e2e][graph]") {
  e2e::Project p;
  p.add_table_rev("a1", {}, {"alpha"});
  p.add_table_rev("a2", {"a1"});
  p.add_table_rev("b1", {}, {"beta"});
  p.add_table_rev("b2", {"b1"}, {}, {"a2"});

  auto r = p.run({"upgrade", "beta@head"});
  REQUIRE(r.exit_code == 0);
  // a1 and a2 ran because b2 depends on a2; a2 is implied by b2, so only b2
  // is stored (Alembic merges the dependency's row into the dependent's).
  CHECK(p.tables() == V{"t_a1", "t_a2", "t_b1", "t_b2"});
  CHECK(p.version() == V{"b2"});
  auto a2 = r.out.find("-> a2");
  auto b2 = r.out.find("-> b2");
  REQUIRE(a2 != std::string::npos);
  REQUIRE(b2 != std::string::npos);
  CHECK(a2 < b2);

  // Downgrading the dependency takes its dependent down first.
  REQUIRE(p.run({"downgrade", "alpha@a1"}).exit_code == 0);
  CHECK(p.version() == V{"a1", "b1"});
  CHECK(p.tables() == V{"t_a1", "t_b1"});
}

TEST_CASE("stamp changes only the version table", "[e2e][stamp]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  auto r = p.run({"stamp", "heads"});
  REQUIRE(r.exit_code == 0);
  CHECK(p.version() == V{"b2"});
  CHECK(p.tables().empty());
  CHECK(p.rows("SELECT direction FROM migrate_history") == V{"stamp"});

  REQUIRE(p.run({"stamp", "a1"}).exit_code == 0);
  CHECK(p.version() == V{"a1"});
  REQUIRE(p.run({"stamp", "base"}).exit_code == 0);
  CHECK(p.version().empty());

  // --purge recovers from a version table naming a revision that is gone.
  REQUIRE(p.run({"stamp", "b2"}).exit_code == 0);
  std::filesystem::remove(p.rev_path("b2"));
  auto cur = p.run({"current"});
  CHECK(cur.exit_code == 1);
  CHECK(contains(cur.err, "b2"));
  auto bad = p.run({"stamp", "a1"});
  CHECK(bad.exit_code == 1);
  CHECK(p.version() == V{"b2"});
  REQUIRE(p.run({"stamp", "--purge", "a1"}).exit_code == 0);
  CHECK(p.version() == V{"a1"});
}

TEST_CASE("merge writes a revision joining the heads", "[e2e][merge]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"});
  p.add_table_rev("right1", {"base0"});
  auto r = p.run({"merge", "heads", "-m", "join", "--rev-id", "m1"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(p.run({"heads", "--json"}).out);
  REQUIRE(j["heads"].size() == 1);
  CHECK(j["heads"][0]["revision"] == "m1");
  CHECK(j["heads"][0]["down_revisions"] == nlohmann::json::array({"left1", "right1"}));
  CHECK(j["heads"][0]["is_merge_point"] == true);
  auto nothing = p.run({"merge", "heads", "-m", "again"});
  CHECK(nothing.exit_code == 1);
  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  CHECK(p.version() == V{"m1"});
}
