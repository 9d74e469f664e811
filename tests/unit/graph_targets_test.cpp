// Targets and plans: resolve(), upgrade_plan(), downgrade_plan() and walk()
// over the classic fixtures. Every expected plan and error below is what
// Alembic 1.8.1 answers for the same graph, current heads and target (its
// RevisionMap / ScriptDirectory._upgrade_revs / _downgrade_revs /
// walk_revisions), except where a comment says we differ and why.
#include <catch2/catch.hpp>

#include "unit/graph_fixtures.h"

using namespace graphtest;

namespace {

struct Case {
  const char* fixture;
  const char* current;  // space separated
  const char* target;
  const char* expected;  // plan / ids, or "error: <substring>"
};

bool wants_error(const Case& c) { return std::string(c.expected).rfind("error: ", 0) == 0; }
std::string error_part(const Case& c) { return std::string(c.expected).substr(7); }

template <typename F>
void check_case(const Case& c, F compute) {
  INFO(c.fixture << " | current: [" << c.current << "] | target: " << c.target);
  if (wants_error(c)) {
    std::string msg = error_of([&] { compute(); });
    REQUIRE_FALSE(msg.empty());
    CHECK_THAT(msg, Catch::Contains(error_part(c)));
    CHECK_THAT(msg, !Catch::Contains("\n"));
  } else {
    CHECK(compute() == c.expected);
  }
}

}  // namespace

TEST_CASE("resolve: absolute targets", "[graph][targets]") {
  const Case cases[] = {
      {"chain", "", "heads", "d"},
      {"chain", "", "head", "d"},
      {"chain", "", "base", ""},
      {"chain", "", "c", "c"},
      {"branched", "", "heads", "d1 d2"},
      {"branched", "", "head", "error: use 'heads' for all of them, or 'LABEL@head'"},
      // "heads" means the real heads: x is depended on, so it is implied by y.
      {"depheads", "", "heads", "y"},
      {"forest", "", "lone@head", "a2"},
      {"forest", "", "ltwo@heads", "b3"},
      {"forest", "", "ltwo@base", ""},
      {"forest", "", "base2@head", "b3"},  // a revision used as a branch name
      {"forest", "", "lone", "base1"},     // a label names its revision
      {"forest", "", "lone@b1", "error: revision b1 is not a member of branch 'lone'"},
      {"forest", "", "nope@head", "error: no such revision or branch 'nope'"},
      {"labels", "", "cl@head", "d"},
      {"labels", "", "el@heads", "f"},
      {"labels", "", "d@head", "d"},
      {"labels", "", "b@head", "error: multiple heads are present on branch 'b' (d, f)"},
      {"prefix", "", "abcd1", "abcd1111"},
      {"prefix", "", "abce", "abce3333"},
      {"prefix", "", "feat", "abce3333"},  // label prefixes count, as in Alembic
      {"prefix", "", "abcd",
       "error: 'abcd' is ambiguous; it matches abcd1111 (versions/abcd1111.sql), abcd2222 "
       "(versions/abcd2222.sql)"},
      // The contract wants at least 4 characters (Alembic tries shorter ones).
      {"prefix", "", "abc", "error: at least 4 characters"},
      {"prefix", "", "zzzz", "error: no such revision or branch 'zzzz'"},
      {"chain", "b d", "current", "b d"},
      {"chain", "zz", "current", "error: the version table holds revision 'zz'"},
  };
  for (const auto& c : cases)
    check_case(c, [&] { return join(fixture(c.fixture).resolve(c.target, split(c.current))); });
}

// Alembic's get_revisions() does not take relative targets; `show`, `stamp`
// and `history` need them, so they count from the current heads exactly as
// upgrade (+N) and downgrade (-N) do.
TEST_CASE("resolve: relative targets", "[graph][targets]") {
  const Case cases[] = {
      {"chain", "b", "+1", "c"},
      {"chain", "", "+2", "b"},
      {"chain", "d", "-2", "b"},
      {"chain", "a", "-1", ""},  // down to base
      {"chain", "a", "-2", "error: relative revision -2 did not produce 2 migrations"},
      {"chain", "d", "+1", "error: relative revision +1 did not produce 1 migration"},
      {"chain", "", "head-1", "c"},
      {"chain", "", "base+2", "b"},
      {"chain", "", "b+1", "c"},
      {"chain", "", "c-2", "a"},
      {"chain", "", "c+0", "c"},
      {"chain", "", "+0", "error: relative revision +0"},
      {"merged", "", "e-1", "error: ambiguous walk from e"},
      {"merged", "", "b+1", "error: ambiguous walk from b"},
      {"labels", "", "b+1", "error: it branches into c, e"},
      {"labels", "b", "el@+1", "e"},
      {"labels", "d f", "el@-1", "e"},
      {"labels", "", "el@head-1", "e"},
      {"labels", "", "cl@b+1", "c"},
      {"forest", "a1 b1", "lone@+1", "a2"},
      {"forest", "a1 b1", "+1", "error: ambiguous upgrade +1 from several current heads"},
  };
  for (const auto& c : cases)
    check_case(c, [&] { return join(fixture(c.fixture).resolve(c.target, split(c.current))); });
}

TEST_CASE("upgrade plans follow Alembic's order", "[graph][plans]") {
  const Case cases[] = {
      {"chain", "", "heads", "+a +b +c +d"},
      {"chain", "a", "head", "+b +c +d"},
      {"chain", "b", "+1", "+c"},
      {"chain", "", "+2", "+a +b"},
      {"chain", "", "head-1", "+a +b +c"},
      {"chain", "d", "b", ""},  // already above: nothing to do
      {"chain", "c", "current", ""},
      {"chain", "c", "-1", "error: relative revision -1 did not produce 1 migration"},
      {"chain", "d", "+1", "error: relative revision +1 did not produce 1 migration"},
      // Several heads: each branch in turn, the later-listed one first.
      {"branched", "", "heads", "+a +b2 +c2 +d2 +b1 +c1 +d1"},
      {"branched", "", "head",
       "error: multiple heads are present (d1, d2); use 'heads' for all of them, or 'LABEL@head'"},
      {"branched", "d1", "d2", "+b2 +c2 +d2"},
      {"branched", "b1", "heads", "+b2 +c2 +d2 +c1 +d1"},
      {"branched", "c1 c2", "+1", "error: ambiguous upgrade +1 from several current heads"},
      {"branched", "a", "+1", "error: ambiguous walk from a"},
      // A merge waits for both of its lines.
      {"merged", "", "heads", "+a +b +c2 +d2 +c1 +d1 +e +f"},
      {"merged", "d1", "heads", "+c2 +d2 +e +f"},
      {"merged", "d1 d2", "e", "+e"},
      {"merged", "c2", "e", "+d2 +c1 +d1 +e"},
      {"merged", "c1", "+1", "+d1"},
      {"twin", "", "heads", "+a +b2 +b3 +m2 +b1 +m1"},
      {"twin", "", "m1", "+a +b2 +b1 +m1"},
      {"twin", "m1", "m2", "+b3 +m2"},
      {"forest", "", "heads", "+base2 +b1 +b2 +b3 +base1 +a1 +a2"},
      {"forest", "", "lone@head", "+base1 +a1 +a2"},
      {"forest", "a2", "ltwo@head", "+base2 +b1 +b2 +b3"},
      {"forest", "", "ltwo@+1", "+base2"},
      {"forest", "b1", "ltwo@+1", "+b2"},
      {"forest", "a1 b1", "lone@+1", "+a2"},
      {"forest", "a2", "lone", ""},
      {"labels", "", "cl@head", "+a +b +c +d"},
      {"labels", "d", "el@head", "+e +f"},
      {"labels", "b", "el@+1", "+e"},
      {"labels", "d", "el@+1", "+e"},  // the branch is not applied: count from its fork
      // A dependency is applied first.
      {"deps", "", "heads", "+b1 +b2 +a1 +b3 +a2 +a3"},
      {"deps", "", "a3", "+b1 +b2 +a1 +a2 +a3"},
      {"deps", "a2", "a3", "+b1 +b2 +a3"},
      {"deplabel", "", "b3", "+a1 +b1 +b2 +b3"},
      {"depheads", "", "heads", "+x +y"},
      {"depheads", "x", "heads", "+y"},
      {"prefix", "", "abcd2", "+abcd1111 +abcd2222"},
      {"chain", "zz", "heads", "error: the version table holds revision 'zz'"},
      {"chain", "", "nope", "error: no such revision or branch 'nope'"},
  };
  for (const auto& c : cases)
    check_case(
        c, [&] { return plan_str(fixture(c.fixture).upgrade_plan(split(c.current), c.target)); });
}

TEST_CASE("downgrade plans follow Alembic's order", "[graph][plans]") {
  const Case cases[] = {
      {"chain", "d", "-2", "-d -c"},
      {"chain", "d", "b", "-d -c"},
      {"chain", "d", "base", "-d -c -b -a"},
      {"chain", "d", "head-2", "-d -c"},
      {"chain", "d", "d", ""},
      {"chain", "d", "current", ""},
      {"chain", "b", "d", "error: is not a valid downgrade target from the current heads"},
      {"chain", "c", "+1", "error: relative revision +1 did not produce 1 migration"},
      {"chain", "a", "-2", "error: relative revision -2 did not produce 2 migrations"},
      {"chain", "", "-1", "error: relative revision -1 did not produce 1 migration"},
      {"branched", "d1 d2", "a", "-d1 -c1 -b1 -d2 -c2 -b2"},
      {"branched", "d1 d2", "b1", "-d1 -c1"},
      {"branched", "d1 d2", "base", "-d1 -c1 -b1 -d2 -c2 -b2 -a"},
      // Alembic counts -1 from the first current head only (and warns this
      // will be disallowed): refused, naming each branch's form.
      {"branched", "d1 d2", "-1", "error: '-1' is ambiguous: the database has 2 heads"},
      {"branched", "d1 d2", "d1@-1", "-d1"},
      {"branched", "d1", "c2", "error: is not a valid downgrade target"},
      // Through a merge point: both lines come down.
      {"merged", "f", "b", "-f -e -d1 -c1 -d2 -c2"},
      {"merged", "f", "d1", "-f -e"},
      {"merged", "e", "c2", "-e -d2"},
      {"merged", "f", "-2", "error: ambiguous walk from e"},
      {"twin", "m1 m2", "b2", "-m1 -m2"},
      {"twin", "m1 m2", "b1", "-m1"},
      {"twin", "m1 m2", "a", "-m1 -b1 -m2 -b3 -b2"},
      {"forest", "a2 b3", "ltwo@base", "-b3 -b2 -b1 -base2"},
      {"forest", "a2 b3", "lone@-1", "-a2"},
      {"forest", "a2 b3", "ltwo@-2", "-b3 -b2"},
      {"forest", "a2 b3", "base", "-a2 -a1 -base1 -b3 -b2 -b1 -base2"},
      {"labels", "d f", "el@-1", "-f"},
      {"labels", "d f", "cl@-2", "-d -c"},
      {"labels", "d f", "b", "-d -c -f -e"},
      // One base: Alembic's `label@base` takes down everything above it.
      {"labels", "d f", "cl@base", "-d -c -f -e -b -a"},
      // Several heads: Alembic refuses `label@head` unless there is one head;
      // we take the branch's head (a no-op here, it is current).
      {"labels", "d f", "cl@head", ""},
      {"deps", "a3 b3", "b1", "-a3 -b3 -b2"},
      {"deps", "a3 b3", "a1", "-a3 -a2"},
      {"deps", "a3", "a2", "-a3"},
      {"deps", "a3", "b2", "error: is not a valid downgrade target"},
      {"deps", "a3 b3", "bb@base", "-a3 -b3 -b2 -b1"},
      {"deplabel", "b3 a2", "a1", "-a2"},
      {"deplabel", "b3 a2", "aa@base", "-a2 -b3 -b2 -a1"},
      {"depheads", "y", "base", "-y -x"},
      {"depheads", "y", "x", "error: is not a valid downgrade target"},
  };
  for (const auto& c : cases)
    check_case(
        c, [&] { return plan_str(fixture(c.fixture).downgrade_plan(split(c.current), c.target)); });
}

TEST_CASE("walk lists a history range newest first", "[graph][history]") {
  struct WalkCase {
    const char* fixture;
    const char* lower;
    const char* upper;
    const char* current;
    const char* expected;
  };
  const WalkCase cases[] = {
      {"chain", "base", "heads", "", "d c b a"},
      {"chain", "", "", "", "d c b a"},  // the defaults
      {"chain", "b", "heads", "", "d c b"},
      {"chain", "base", "c", "", "c b a"},
      {"chain", "current", "heads", "b", "d c b"},
      {"chain", "base", "current", "c", "c b a"},
      {"branched", "base", "heads", "", "d1 c1 b1 d2 c2 b2 a"},
      {"branched", "b2", "heads", "", "d2 c2 b2"},
      {"branched", "b1", "d2", "",
       "error: requested range b1:d2 does not refer to ancestor/descendant revisions"},
      {"merged", "base", "heads", "", "f e d1 c1 d2 c2 b a"},
      {"merged", "c2", "heads", "", "f e d2 c2"},
      {"twin", "base", "heads", "", "m1 b1 m2 b3 b2 a"},
      {"forest", "base", "heads", "", "a2 a1 base1 b3 b2 b1 base2"},
      {"forest", "ltwo@base", "ltwo@head", "", "b3 b2 b1 base2"},
      {"labels", "el@base", "heads", "", "f e b a"},
      {"deps", "base", "heads", "", "a3 a2 b3 a1 b2 b1"},
  };
  for (const auto& c : cases) {
    INFO(c.fixture << " " << c.lower << ":" << c.upper);
    auto run = [&] { return join(fixture(c.fixture).walk(c.lower, c.upper, split(c.current))); };
    std::string expected = c.expected;
    if (expected.rfind("error: ", 0) == 0)
      CHECK_THAT(error_of(run), Catch::Contains(expected.substr(7)));
    else
      CHECK(run() == expected);
  }
}

TEST_CASE("a label with a hyphen stays a label", "[graph][targets]") {
  // Alembic's pattern reads `feature-1` as `feature` minus one; a target
  // equal to a label is a label here, and counts must run to the end.
  RevisionGraph g = graph_of({{"a", {}, {}, {"feature-1"}}, {"b", {"a"}}, {"c", {}}});
  CHECK(join(g.resolve("feature-1", {})) == "a");
  CHECK(join(g.resolve("feature-1@head", {})) == "b");
  CHECK(join(g.resolve("feature-1@head-1", {})) == "a");
  CHECK(join(g.resolve("feature-1@+1", {})) == "a");
  CHECK(plan_str(g.upgrade_plan({}, "feature-1@head")) == "+a +b");
  CHECK(plan_str(g.downgrade_plan({"b", "c"}, "feature-1@base")) == "-b -a");
  CHECK_THAT(error_of([&] { g.resolve("b+1x", {}); }), Catch::Contains("no such revision"));
}

TEST_CASE("overlapping targets are refused", "[graph][plans]") {
  // `upgrade label@heads` where one head is a dependency of the other: the
  // heads overlap, which Alembic refuses.
  RevisionGraph g = graph_of({{"a", {}, {}, {"l"}}, {"b", {"a"}}, {"c", {"a"}, {"b"}}});
  CHECK(join(g.heads()) == "b c");
  CHECK_THAT(error_of([&] { g.upgrade_plan({}, "l@heads"); }), Catch::Contains("overlap"));
  CHECK(plan_str(g.upgrade_plan({}, "heads")) == "+a +b +c");
}
