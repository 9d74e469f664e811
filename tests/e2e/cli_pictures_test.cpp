// End to end: `migrate graph` and `migrate erd` on real revision graphs
// (three public projects' Alembic histories) and real SQLite files. Every
// picture is read back (tests/e2e/picture_support.h) and compared with the
// graph or schema it was drawn from: each revision once, each edge, each
// label and current mark; DOT rendered by Graphviz.
#include <nlohmann/json.hpp>

#include "e2e/picture_support.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using S = std::set<std::string>;

namespace {

std::set<e2e::Edge> drawn_dependencies(const e2e::AsciiGraph& a) {
  std::set<e2e::Edge> out;
  static const std::regex dep(R"re(depends on (\w+))re");
  for (const auto& [id, text] : a.text)
    for (auto it = std::sregex_iterator(text.begin(), text.end(), dep);
         it != std::sregex_iterator(); ++it)
      out.insert({(*it)[1], id});
  return out;
}

// The marks in the parentheses after an id: "(head, branch crud)".
S marks(const std::string& text) {
  S out;
  if (text.empty() || text[0] != '(') return out;
  std::string inner = text.substr(1, text.find(')') - 1);
  std::size_t start = 0;
  while (start <= inner.size()) {
    std::size_t comma = inner.find(", ", start);
    if (comma == std::string::npos) comma = inner.size();
    out.insert(inner.substr(start, comma - start));
    start = comma + 2;
  }
  return out;
}

S current_from_cli(const e2e::Project& p) {
  auto r = p.run({"current", "--json"});
  REQUIRE_THAT(r, ExitedWith(0));
  S out;
  auto j = nlohmann::json::parse(r.out);
  for (const auto& rev : j["current"]) out.insert(rev["revision"].get<std::string>());
  return out;
}

// Everything `migrate graph` must show of a real graph, in all three
// text formats: what is checked is derived from the TSV, never written
// down.
void check_all_formats(const e2e::Project& p, const e2e::RealGraph& g, const S& current) {
  const S heads = g.heads();
  auto children = g.child_count();

  auto r = p.run({"graph"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto a = e2e::parse_ascii(r.out);
  CHECK(a.problems.empty());
  INFO(r.out);
  REQUIRE(a.order.size() == g.revisions.size());
  CHECK(S(a.order.begin(), a.order.end()).size() == g.revisions.size());
  CHECK(a.edges == g.edges);  // every down_revision edge, and no other, is a lane
  CHECK(drawn_dependencies(a) == g.dependency);
  for (const auto& rev : g.revisions) {
    S m = marks(a.text[rev.id]);
    CHECK(m.count("head") + m.count("effective head") == heads.count(rev.id));
    CHECK(m.count("current") == current.count(rev.id));
    CHECK(m.count("mergepoint") == (rev.down.size() > 1 ? 1u : 0u));
    CHECK(m.count("branchpoint") == (children[rev.id] > 1 ? 1u : 0u));
    for (const auto& label : rev.labels) CHECK(m.count("branch " + label) == 1);
    if (!rev.message.empty()) CHECK_THAT(a.text[rev.id], Contains(rev.message));
  }

  auto mm = p.run({"graph", "--format", "mermaid"});
  REQUIRE_THAT(mm, ExitedWith(0));
  auto m = e2e::parse_mermaid(mm.out);
  CHECK(m.header == "flowchart BT");
  CHECK(m.unknown_lines.empty());
  CHECK(m.node_order == a.order);
  CHECK(m.edges == g.edges);
  CHECK(m.dependency == g.dependency);
  CHECK(m.heads == heads);
  CHECK(m.current == current);

  auto d = p.run({"graph", "--format", "dot"});
  REQUIRE_THAT(d, ExitedWith(0));
  auto dg = e2e::parse_dot(d.out);
  CHECK(dg.attrs.size() == g.revisions.size());
  CHECK(dg.edges == g.edges);
  CHECK(dg.dependency == g.dependency);
  for (const auto& rev : g.revisions) {
    const std::string& at = dg.attrs[rev.id];
    CHECK((at.find("penwidth=2") != std::string::npos) == (heads.count(rev.id) == 1));
    CHECK((at.find("filled") != std::string::npos) == (current.count(rev.id) == 1));
  }
  // Graphviz reads it, and draws every revision.
  testsupport::TempDir tmp;
  S titles = e2e::svg_node_titles(e2e::render_svg(tmp, d.out));
  titles.erase("revisions");
  S ids;
  for (const auto& rev : g.revisions) ids.insert(rev.id);
  CHECK(titles == ids);
}

}  // namespace

TEST_CASE("graph draws each real Alembic graph: every revision, edge, label and head",
          "[e2e][pictures]") {
  for (const char* name : {"neutron.tsv", "warehouse.tsv", "backend_ai.tsv"}) {
    DYNAMIC_SECTION(name) {
      e2e::Project p;
      auto g = e2e::read_real_graph(name);
      e2e::write_real_graph(p, g);
      // The graphs' own shapes, so that the test covers what it says.
      CHECK(g.revisions.size() > 100);
      check_all_formats(p, g, {});
    }
  }
}

TEST_CASE("graph marks the revisions a real SQLite database is at", "[e2e][pictures]") {
  // neutron: expand and contract branches from `kilo`, with cross-branch
  // depends_on; upgrading one branch's head applies dependencies on the
  // other, which `current` lists too (Alembic's effective current).
  e2e::Project p;
  auto g = e2e::read_real_graph("neutron.tsv");
  e2e::write_real_graph(p, g);
  REQUIRE_THAT(p.run({"upgrade", "contract@head"}), ExitedWith(0));
  S current = current_from_cli(p);
  REQUIRE_FALSE(current.empty());
  check_all_formats(p, g, current);

  // A merge of a real graph: warehouse has merge points. Upgrade to the
  // first merge point's first parent only: the database is then part-way.
  e2e::Project w;
  auto wg = e2e::read_real_graph("warehouse.tsv");
  e2e::write_real_graph(w, wg);
  std::string merge_parent;
  for (const auto& rev : wg.revisions)
    if (rev.down.size() > 1) {
      merge_parent = rev.down[1];
      break;
    }
  REQUIRE_FALSE(merge_parent.empty());
  REQUIRE_THAT(w.run({"upgrade", merge_parent}), ExitedWith(0));
  S wc = current_from_cli(w);
  CHECK(wc.count(merge_parent) == 1);
  check_all_formats(w, wg, wc);
}

TEST_CASE("graph on a small graph: the lanes of a branch point, a merge and a base",
          "[e2e][pictures]") {
  // base0 -> {left1 [l] -> left2, right1 [r]} -> merge9, and a second base.
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"l"});
  p.add_table_rev("left2", {"left1"});
  p.add_table_rev("right1", {"base0"}, {"r"});
  p.add_table_rev("merge9", {"left2", "right1"});
  p.add_table_rev("other1", {}, {"o"}, {"left1"});
  REQUIRE_THAT(p.run({"upgrade", "left2"}), ExitedWith(0));
  auto r = p.run({"graph"});
  REQUIRE_THAT(r, ExitedWith(0));
  // Reviewed once by eye, kept as the example of what the lanes look like;
  // the structure is checked on the real graphs above.
  CHECK(r.out ==
        "*   merge9 (head, mergepoint) rev merge9\n"
        "|\\\n"
        "* | left2 (current) rev left2\n"
        "* | left1 (branch l) rev left1\n"
        "| * right1 (branch r) rev right1\n"
        "|/\n"
        "* base0 (branchpoint) rev base0\n"
        "\n"
        "* other1 (head, branch o, depends on left1) rev other1\n");
  auto a = e2e::parse_ascii(r.out);
  CHECK(a.problems.empty());
  CHECK(a.edges == std::set<e2e::Edge>{{"base0", "left1"},
                                       {"left1", "left2"},
                                       {"base0", "right1"},
                                       {"left2", "merge9"},
                                       {"right1", "merge9"}});
}

TEST_CASE("graph without a reachable database draws anyway, with a note", "[e2e][pictures]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("a2", {"a1"});
  // A server that does not listen: the picture, a note, exit 0.
  auto r = p.run({"graph", "--url", "postgresql://app:s3cret@127.0.0.1:1/nodb"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("current revisions not marked"));
  CHECK_THAT(r.err, !Contains("s3cret"));
  CHECK(e2e::parse_ascii(r.out).order == std::vector<std::string>{"a2", "a1"});
  CHECK_THAT(r.out, !Contains("current"));
  // A SQLite file that does not exist is not created.
  auto s = p.run({"graph"});
  REQUIRE_THAT(s, ExitedWith(0));
  CHECK_THAT(s.err, Contains("no such database file"));
  CHECK_FALSE(std::filesystem::exists(p.db()));
}

TEST_CASE("graph --format svg renders through Graphviz, or says it is missing", "[e2e][pictures]") {
  e2e::graphviz_dot();
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"}, {"payments"});
  auto r = p.run({"graph", "--format", "svg", "-o", "g.svg"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.out.empty());
  std::string svg = testsupport::read_file(p.path("g.svg"));
  CHECK_THAT(svg, Contains("<svg"));
  S titles = e2e::svg_node_titles(svg);
  CHECK(titles == S{"revisions", "a1", "b2"});
  CHECK_THAT(svg, Contains("branch payments"));

  // Without dot on PATH: exit 1, a message naming Graphviz, no file.
  testsupport::TempDir empty;
  auto m = p.run({"graph", "--format", "svg", "-o", "none.svg"}, {{"PATH", empty.path()}});
  CHECK_THAT(m, ExitedWith(1));
  CHECK_THAT(m.err, Contains("Graphviz"));
  CHECK_THAT(m.err, Contains("--format dot"));
  CHECK_FALSE(std::filesystem::exists(p.path("none.svg")));

  auto bad = p.run({"graph", "--format", "png"});
  CHECK_THAT(bad, ExitedWith(2));
}

namespace {

std::string lower_word(std::string s) {
  for (char& c : s)
    c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// (parent, child, columns, required) of each foreign key, from SQLite's own
// pragmas on the file.
std::multiset<std::string> sqlite_foreign_keys(const std::string& db) {
  std::multiset<std::string> out;
  auto rows = testsupport::sqlite_rows(
      db,
      "SELECT m.name, f.\"table\", group_concat(f.\"from\", ', '), "
      "min(coalesce(c.\"notnull\", 0)) FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
      "LEFT JOIN pragma_table_info(m.name) c ON c.name = f.\"from\" "
      "WHERE m.type = 'table' GROUP BY m.name, f.id ORDER BY m.name, f.id");
  for (const auto& r : rows) {
    std::vector<std::string> f;
    std::stringstream in(r);
    std::string cell;
    while (std::getline(in, cell, '|')) f.push_back(cell);
    out.insert(f[1] + " -> " + f[0] + " (" + f[2] + ")" + (f[3] == "1" ? " required" : ""));
  }
  return out;
}

}  // namespace

TEST_CASE("erd draws every table, column and foreign key of the sample project",
          "[e2e][pictures]") {
  testsupport::TempDir tmp;
  std::string dir = tmp / "sample";
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir,
                        std::filesystem::copy_options::recursive);
  auto run = [&](const std::vector<std::string>& args) {
    return testsupport::run_migrate(dir, args);
  };
  // rev:heads: the schema the revisions make, on a scratch database.
  auto r = run({"erd", "rev:heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto e = e2e::parse_mermaid_erd(r.out);
  CHECK(e.header == "erDiagram");
  CHECK(e.unknown_lines.empty());

  // The same revisions applied to a real file, read back with SQLite's
  // pragmas: what the picture must show.
  REQUIRE_THAT(run({"upgrade", "heads"}), ExitedWith(0));
  std::string db = dir + "/app.db";
  auto tables = testsupport::sqlite_rows(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND "
      "name NOT IN ('migrate_version', 'migrate_history') ORDER BY name");
  REQUIRE(tables.size() >= 8);
  S drawn;
  for (const auto& [t, cols] : e.tables) drawn.insert(t);
  CHECK(drawn == S(tables.begin(), tables.end()));
  for (const auto& t : tables) {
    INFO(t);
    auto cols = testsupport::sqlite_rows(
        db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('" + t + "')");
    CHECK(e.tables[t].size() == cols.size());
    for (const auto& row : cols) {
      std::vector<std::string> f;
      std::stringstream in(row);
      std::string cell;
      while (std::getline(in, cell, '|')) f.push_back(cell);
      INFO(row);
      REQUIRE(e.tables[t].count(f[0]) == 1);
      const auto& c = e.tables[t][f[0]];
      CHECK(lower_word(c.type) == lower_word(f[1]));
      CHECK(c.keys.count("PK") == (f[3] != "0" ? 1u : 0u));
      CHECK(c.not_null == (f[2] == "1" && f[3] == "0"));
    }
  }
  std::multiset<std::string> fks;
  for (const auto& rel : e.relations)
    fks.insert(rel.parent + " -> " + rel.child + " (" + rel.columns + ")" +
               (rel.required ? " required" : ""));
  CHECK(fks == sqlite_foreign_keys(db));
  CHECK(fks.size() >= 9);

  // The database itself (the default source) draws the same.
  auto live = run({"erd"});
  REQUIRE_THAT(live, ExitedWith(0));
  CHECK(live.out == r.out);

  // DOT: Graphviz renders one node per table, and an edge per foreign key.
  auto d = run({"erd", "rev:heads", "--format", "dot"});
  REQUIRE_THAT(d, ExitedWith(0));
  S titles = e2e::svg_node_titles(e2e::render_svg(tmp, d.out));
  titles.erase("schema");
  CHECK(titles == S(tables.begin(), tables.end()));
  std::size_t edges = 0;
  for (std::size_t at = d.out.find(" -> "); at != std::string::npos;
       at = d.out.find(" -> ", at + 1))
    ++edges;
  CHECK(edges == fks.size());

  auto svg = run({"erd", "schema.sql", "--format", "svg", "-o", "erd.svg"});
  REQUIRE_THAT(svg, ExitedWith(0));
  CHECK_THAT(testsupport::read_file(dir + "/erd.svg"), Contains("<svg"));
  CHECK_THAT(testsupport::read_file(dir + "/erd.svg"), Contains("ledger_entries"));

  auto bad = run({"erd", "nothing.txt"});
  CHECK_THAT(bad, ExitedWith(2));
  CHECK_THAT(bad.err, Contains("not a schema source"));
}

TEST_CASE("graph and erd quote what users wrote: messages and names with markup in them",
          "[e2e][pictures]") {
  e2e::Project p;
  const std::string nasty = "say \\\"hi\\\" to <b>#1</b> & \\\\back";  // YAML-escaped
  const std::string plain = "say \"hi\" to <b>#1</b> & \\back";        // as read
  p.add({"q1",
         {},
         "CREATE TABLE \"many\" (\"pk\" integer PRIMARY KEY, \"my col\" "
         "numeric(12,2) NOT NULL, \"a<b&c\" text);",
         "DROP TABLE \"many\";",
         {},
         {},
         ""});
  // The fixture writes `message: rev q1`; put the nasty one in its place.
  std::string text = testsupport::read_file(p.rev_path("q1"));
  text.replace(text.find("message: rev q1"), 15, "message: \"" + nasty + "\"");
  testsupport::write_file(p.rev_path("q1"), text);

  auto a = p.run({"graph"});
  REQUIRE_THAT(a, ExitedWith(0));
  CHECK_THAT(a.out, Contains(plain));

  auto d = p.run({"graph", "--format", "dot"});
  REQUIRE_THAT(d, ExitedWith(0));
  testsupport::TempDir tmp;
  std::string svg = e2e::render_svg(tmp, d.out);
  // Graphviz read the label whole: the message is in the SVG, XML-escaped.
  CHECK_THAT(svg, Contains("say &quot;hi&quot; to &lt;b&gt;#1&lt;/b&gt; &amp; \\back"));

  auto m = p.run({"graph", "--format", "mermaid"});
  REQUIRE_THAT(m, ExitedWith(0));
  auto mg = e2e::parse_mermaid(m.out);
  CHECK(mg.unknown_lines.empty());
  CHECK(mg.labels["q1"] ==
        "q1<br/>say #quot;hi#quot; to #lt;b#gt;#35;1#lt;/b#gt; #amp; \\back<br/>(head)");

  // A table named like a Mermaid keyword, a column named like a key mark,
  // a type with a space and a comma, a column with markup in its name.
  auto e = p.run({"erd", "rev:heads"});
  REQUIRE_THAT(e, ExitedWith(0));
  auto erd = e2e::parse_mermaid_erd(e.out);
  CHECK(erd.unknown_lines.empty());
  REQUIRE(erd.tables.count("many") == 1);
  auto& cols = erd.tables["many"];
  CHECK(cols.size() == 3);
  CHECK(cols["pk_"].keys == S{"PK"});
  CHECK(cols["my_col"].type == "numeric(12_2)");
  CHECK(cols["my_col"].not_null);
  CHECK(cols.count("a_b_c") == 1);
  auto ed = p.run({"erd", "rev:heads", "--format", "dot"});
  REQUIRE_THAT(ed, ExitedWith(0));
  CHECK_THAT(e2e::render_svg(tmp, ed.out), Contains("a&lt;b&amp;c"));
}
