// End to end on the PostgreSQL test server: `migrate graph` marks the
// revisions a PostgreSQL database is at, and `migrate erd` draws a large
// real schema (danbooru's db/structure.sql) with every table and foreign
// key the server's catalog has, from the database and from the .sql file.
#include <nlohmann/json.hpp>

#include "e2e/pg_fixture.h"
#include "e2e/picture_support.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using S = std::set<std::string>;

TEST_CASE("graph marks the current revisions of a PostgreSQL database", "[e2e][pictures]") {
  e2e::TempPgDatabase pg;
  e2e::Project p;
  auto g = e2e::read_real_graph("neutron.tsv");
  e2e::write_real_graph(p, g);
  const std::vector<std::string> url = {"--url", pg.url()};
  auto with_url = [&](std::vector<std::string> args) {
    args.insert(args.end(), url.begin(), url.end());
    return p.run(args);
  };
  REQUIRE_THAT(with_url({"upgrade", "expand@head"}), ExitedWith(0));
  auto cur = with_url({"current", "--json"});
  REQUIRE_THAT(cur, ExitedWith(0));
  S current;
  auto j = nlohmann::json::parse(cur.out);
  for (const auto& rev : j["current"]) current.insert(rev["revision"].get<std::string>());
  REQUIRE_FALSE(current.empty());
  // The stored rows are among them.
  for (const auto& v : pg.version()) CHECK(current.count(v) == 1);

  auto r = with_url({"graph"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.err.empty());
  auto a = e2e::parse_ascii(r.out);
  CHECK(a.problems.empty());
  CHECK(a.edges == g.edges);
  S marked;
  for (const auto& [id, text] : a.text)
    if (text.rfind("(", 0) == 0 &&
        text.substr(0, text.find(')')).find("current") != std::string::npos)
      marked.insert(id);
  CHECK(marked == current);

  auto m = with_url({"graph", "--format", "mermaid"});
  REQUIRE_THAT(m, ExitedWith(0));
  CHECK(e2e::parse_mermaid(m.out).current == current);
}

TEST_CASE("erd draws a real PostgreSQL schema: every table and foreign key of the catalog",
          "[e2e][pictures]") {
  e2e::TempPgDatabase pg;
  std::string sql_file = e2e::test_data_dir() + "/real_schemas/danbooru.sql";
  pg.exec(testsupport::read_file(sql_file));
  e2e::Project p;

  auto r = p.run({"erd", "--url", pg.url()});
  REQUIRE_THAT(r, ExitedWith(0));
  auto e = e2e::parse_mermaid_erd(r.out);
  CHECK(e.header == "erDiagram");
  CHECK(e.unknown_lines.empty());

  auto tables = pg.rows(
      "SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname "
      "END FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN "
      "('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
      "LIKE 'pg_toast%' ORDER BY 1");
  REQUIRE(tables.size() > 50);
  S drawn;
  for (const auto& [t, cols] : e.tables) drawn.insert(t);
  CHECK(drawn == S(tables.begin(), tables.end()));

  // Every column with its NOT NULL and primary key marks.
  auto columns = pg.rows(
      "SELECT c.relname, a.attname, a.attnotnull, EXISTS (SELECT 1 FROM pg_constraint k WHERE "
      "k.conrelid = c.oid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) FROM pg_attribute a "
      "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT "
      "a.attisdropped");
  std::size_t drawn_columns = 0;
  for (const auto& [t, cols] : e.tables) drawn_columns += cols.size();
  CHECK(drawn_columns == columns.size());
  for (const auto& row : columns) {
    std::vector<std::string> f;
    std::stringstream in(row);
    std::string cell;
    while (std::getline(in, cell, '|')) f.push_back(cell);
    INFO(row);
    REQUIRE(e.tables[f[0]].count(f[1]) == 1);
    const auto& c = e.tables[f[0]][f[1]];
    CHECK(c.keys.count("PK") == (f[3] == "t" ? 1u : 0u));
    CHECK(c.not_null == (f[2] == "t" && f[3] == "f"));
  }

  // Every foreign key: referenced table, referencing table, its columns.
  auto fks = pg.rows(
      "SELECT confrelid::regclass::text, conrelid::regclass::text, (SELECT string_agg(a.attname, "
      "', ' ORDER BY k.ord) FROM unnest(conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a "
      "ON a.attrelid = conrelid AND a.attnum = k.num) FROM pg_constraint WHERE contype = 'f'");
  REQUIRE(fks.size() > 50);
  std::multiset<std::string> want, got;
  for (const auto& row : fks) want.insert(row);
  for (const auto& rel : e.relations) got.insert(rel.parent + "|" + rel.child + "|" + rel.columns);
  CHECK(got == want);

  // The .sql file as the source (applied to a temporary database on the
  // same server, as `diff` reads it) draws the same picture.
  auto from_file = p.run({"erd", sql_file, "--url", pg.url()});
  REQUIRE_THAT(from_file, ExitedWith(0));
  CHECK(from_file.out == r.out);

  // Graphviz renders the DOT form: one node per table.
  auto d = p.run({"erd", "--format", "dot", "--url", pg.url()});
  REQUIRE_THAT(d, ExitedWith(0));
  testsupport::TempDir tmp;
  S titles = e2e::svg_node_titles(e2e::render_svg(tmp, d.out));
  titles.erase("schema");
  CHECK(titles == S(tables.begin(), tables.end()));
}
