// Revision files: the contract's format, every error with its exact
// file:line, and agreement between the fast header reader and yaml-cpp.
#include "script/revision_file.h"

#include <catch2/catch.hpp>

#include "script/revision_header.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/strings.h"

using Catch::Matchers::Contains;
using migrate::script::HeaderEntry;
using migrate::script::HeaderValue;
using migrate::script::parse_header_fast;
using migrate::script::parse_header_yaml;
using migrate::script::parse_revision_file;
using migrate::script::parse_revision_text;
using migrate::script::RevisionFile;

namespace {

const char* const kExample =
    "-- revision: 1975ea83b712\n"
    "-- down_revision: null\n"
    "-- branch_labels: []\n"
    "-- depends_on: []\n"
    "-- message: create accounts table\n"
    "-- created: 2026-11-23T10:00:00Z\n"
    "\n"
    "-- migrate:upgrade\n"
    "CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint NOT NULL);\n"
    "\n"
    "-- migrate:downgrade\n"
    "DROP TABLE accounts;\n";

// A file with the given header lines and an empty body.
std::string with_header(const std::string& header) {
  return header + "-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n";
}

// The message of the migrate::Error thrown by parsing `text` as "v/x.sql".
std::string parse_error(const std::string& text) {
  try {
    parse_revision_text(text, "v/x.sql");
  } catch (const migrate::Error& e) {
    return e.what();
  }
  FAIL_CHECK("expected a parse error for:\n" << text);
  return "";
}

// Header lines as the parser hands them to the readers: `--` and one space
// stripped.
std::vector<std::string_view> header_lines(const std::vector<std::string>& storage) {
  return std::vector<std::string_view>(storage.begin(), storage.end());
}

// A revision file (or its header) that the parser refuses, and what the
// message must hold.
struct ErrorCase {
  std::string text;
  const char* expected;
  const char* also = nullptr;  // more of the message, if any
};

}  // namespace

TEST_CASE("the contract's example parses field by field", "[revision_file]") {
  RevisionFile f = parse_revision_text(kExample, "versions/1975ea83b712_create.sql");
  CHECK(f.path == "versions/1975ea83b712_create.sql");
  CHECK(f.id == "1975ea83b712");
  CHECK(f.down_revisions.empty());
  CHECK(f.branch_labels.empty());
  CHECK(f.depends_on.empty());
  CHECK(f.message == "create accounts table");
  CHECK(f.created == "2026-11-23T10:00:00Z");
  CHECK(f.transactional);
  CHECK(f.upgrade_sql ==
        "CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint NOT NULL);\n\n");
  CHECK(f.upgrade_line == 9);
  CHECK(f.downgrade_sql == "DROP TABLE accounts;\n");
  CHECK(f.downgrade_line == 12);
  CHECK(f.content == kExample);
}

TEST_CASE("checksum is the SHA-256 of the whole file", "[revision_file]") {
  const std::string text =
      "-- revision: a\n-- down_revision: null\n-- migrate:upgrade\n-- migrate:downgrade\n";
  RevisionFile f = parse_revision_text(text, "x.sql");
  // python3 -c "import hashlib; print(hashlib.sha256(TEXT).hexdigest())"
  CHECK(f.checksum() == "046ec5ac3c943d0819877bace9ca11faac1b873421b915e28d54d3a39d2eed2b");
  CHECK(f.upgrade_sql.empty());
  CHECK(f.downgrade_sql.empty());
  CHECK(f.upgrade_line == 4);
  CHECK(f.downgrade_line == 5);
}

TEST_CASE("down_revision: null, one id, a list; ids stay text", "[revision_file]") {
  auto downs = [](const std::string& value) {
    return parse_revision_text(with_header("-- revision: abc\n-- down_revision: " + value + "\n"),
                               "x.sql")
        .down_revisions;
  };
  using V = std::vector<std::string>;
  CHECK(downs("null").empty());
  CHECK(downs("~").empty());
  CHECK(downs("[]").empty());
  CHECK(downs("1975ea83b712") == V{"1975ea83b712"});
  // YAML would read these as numbers; the source text is what counts.
  CHECK(downs("1975e8") == V{"1975e8"});
  CHECK(downs("0042") == V{"0042"});
  CHECK(downs("12") == V{"12"});
  CHECK(downs("'0042'") == V{"0042"});
  CHECK(downs("\"1e3\"") == V{"1e3"});
  CHECK(downs("[a1, 1975e8, '0042']") == V{"a1", "1975e8", "0042"});
  CHECK(downs("[ a1 ,b2 ]   # a merge") == V{"a1", "b2"});
  // Forms only yaml-cpp reads.
  CHECK(parse_revision_text(with_header("-- revision: abc\n-- down_revision:\n--   - a1\n--   - "
                                        "1e5\n"),
                            "x.sql")
            .down_revisions == V{"a1", "1e5"});
  CHECK(downs("[a1,\n-- b2]").size() == 2);
}

TEST_CASE("revision ids written as numbers keep their source text", "[revision_file]") {
  CHECK(parse_revision_text(with_header("-- revision: 1975e8\n-- down_revision: 0x1F\n"), "x.sql")
            .id == "1975e8");
  CHECK(
      parse_revision_text(with_header("-- revision: 0042\n-- down_revision: null\n"), "x.sql").id ==
      "0042");
  CHECK(
      parse_revision_text(with_header("-- revision: 0x1F\n-- down_revision: null\n"), "x.sql").id ==
      "0x1F");
}

TEST_CASE("optional keys: labels, depends_on, transactional", "[revision_file]") {
  RevisionFile f = parse_revision_text(
      with_header("-- revision: b2\n-- down_revision: a1\n-- branch_labels: [accounts]\n"
                  "-- depends_on: billing\n-- transactional: false\n"),
      "x.sql");
  CHECK(f.branch_labels == std::vector<std::string>{"accounts"});
  CHECK(f.depends_on == std::vector<std::string>{"billing"});
  CHECK_FALSE(f.transactional);
  CHECK(parse_revision_text(with_header("-- revision: b\n-- down_revision: null\n"
                                        "-- transactional: true\n"),
                            "x.sql")
            .transactional);
  // An empty value is null: no message.
  CHECK(parse_revision_text(with_header("-- revision: b\n-- down_revision: null\n-- message:\n"),
                            "x.sql")
            .message.empty());
}

TEST_CASE("optional keys: lock_timeout and statement_timeout, kept as written", "[revision_file]") {
  RevisionFile f = parse_revision_text(
      with_header("-- revision: b2\n-- down_revision: a1\n-- lock_timeout: 100ms\n"
                  "-- statement_timeout: 2min\n"),
      "x.sql");
  REQUIRE(f.lock_timeout.has_value());
  CHECK(*f.lock_timeout == "100ms");
  REQUIRE(f.statement_timeout.has_value());
  CHECK(*f.statement_timeout == "2min");
  // Quoted, through yaml-cpp (a block list forces it), and 0 (no limit).
  RevisionFile g = parse_revision_text(
      with_header("-- revision: b2\n-- down_revision:\n--   - a1\n-- lock_timeout: '5 s'\n"
                  "-- statement_timeout: 0\n"),
      "x.sql");
  CHECK(g.lock_timeout == std::optional<std::string>("5 s"));
  CHECK(g.statement_timeout == std::optional<std::string>("0"));
  // Absent: the session's values apply.
  RevisionFile h =
      parse_revision_text(with_header("-- revision: b2\n-- down_revision: a1\n"), "x.sql");
  CHECK_FALSE(h.lock_timeout.has_value());
  CHECK_FALSE(h.statement_timeout.has_value());
}

TEST_CASE("optional key: phase of an expand/contract revision", "[revision_file]") {
  using migrate::script::Phase;
  CHECK(parse_revision_text(with_header("-- revision: b\n-- down_revision: a\n"), "x.sql").phase ==
        Phase::kNone);
  CHECK(parse_revision_text(with_header("-- revision: b\n-- down_revision: a\n-- phase: expand\n"),
                            "x.sql")
            .phase == Phase::kExpand);
  CHECK(parse_revision_text(
            with_header("-- revision: b\n-- down_revision: a\n-- phase: 'backfill'\n"), "x.sql")
            .phase == Phase::kBackfill);
  CHECK(
      parse_revision_text(
          with_header("-- revision: b\n-- down_revision:\n--   - a\n-- phase: contract\n"), "x.sql")
          .phase == Phase::kContract);
  CHECK(std::string(migrate::script::phase_name(Phase::kContract)) == "contract");
  CHECK_THROWS_WITH(
      parse_revision_text(with_header("-- revision: b\n-- down_revision: a\n-- phase: expnad\n"),
                          "x.sql"),
      Contains("x.sql:3: `phase` must be expand, backfill or contract"));
}

TEST_CASE("comments, blank lines, CRLF, a BOM and trailing blanks on markers", "[revision_file]") {
  RevisionFile f = parse_revision_text(
      "\xEF\xBB\xBF-- revision: r1\r\n"
      "-- # a note for readers\r\n"
      "\r\n"
      "--down_revision: null   # a base\r\n"
      "-- migrate:upgrade  \t\r\n"
      "CREATE TABLE t (x int);\r\n"
      "-- migrate:downgrade \r\n"
      "DROP TABLE t;\r\n",
      "x.sql");
  CHECK(f.id == "r1");
  CHECK(f.down_revisions.empty());
  CHECK(f.upgrade_sql == "CREATE TABLE t (x int);\r\n");
  CHECK(f.upgrade_line == 6);
  CHECK(f.downgrade_sql == "DROP TABLE t;\r\n");
  CHECK(f.downgrade_line == 8);
}

TEST_CASE("plain messages lose a trailing comment, as in YAML", "[revision_file]") {
  auto message = [](const std::string& value) {
    return parse_revision_text(
               with_header("-- revision: r\n-- down_revision: null\n-- message: " + value + "\n"),
               "x.sql")
        .message;
  };
  CHECK(message("fix bug #12") == "fix bug");
  CHECK(message("fix bug#12") == "fix bug#12");
  CHECK(message("add [x], {y} and z") == "add [x], {y} and z");
  CHECK(message("'it''s # not a comment'") == "it's # not a comment");
  CHECK(message("\"quoted: yes\"") == "quoted: yes");
  CHECK(message("\"tab\\there\"") == "tab\there");  // escapes: via yaml-cpp
  CHECK(message("true") == "true");
  CHECK(message("'null'") == "null");
}

TEST_CASE("every marker error names the file and the line", "[revision_file]") {
  const ErrorCase cases[] = {
      // No upgrade marker: the last line.
      {"-- revision: a\n-- down_revision: null\nSELECT 1;\n",
       "v/x.sql:3: no `-- migrate:upgrade` line"},
      // No downgrade marker.
      {"-- revision: a\n-- down_revision: null\n-- migrate:upgrade\nS;\n",
       "v/x.sql:4: no `-- migrate:downgrade` line", "(line 3)"},
      // A second upgrade marker.
      {"-- revision: a\n-- down_revision: null\n-- migrate:upgrade\nS;\n-- migrate:upgrade\n",
       "v/x.sql:5: a second `-- migrate:upgrade` line (the first is line 3)"},
      // A second downgrade marker.
      {"-- revision: a\n-- down_revision: null\n-- migrate:upgrade\n-- migrate:downgrade\n"
       "D;\n-- migrate:downgrade\n",
       "v/x.sql:6: a second `-- migrate:downgrade` line (the first is line 4)"},
      // Downgrade before upgrade.
      {"-- revision: a\n-- down_revision: null\n-- migrate:downgrade\n-- migrate:upgrade\n",
       "v/x.sql:3: `-- migrate:downgrade` before any `-- migrate:upgrade`"},
      // Upgrade again after downgrade.
      {"-- revision: a\n-- down_revision: null\n-- migrate:upgrade\n-- migrate:downgrade\n"
       "-- migrate:upgrade\n",
       "v/x.sql:5: a second `-- migrate:upgrade` line (the first is line 3)"},
      // A misspelt marker is not taken for a comment.
      {"-- revision: a\n-- down_revision: null\n-- migrate:upgrade\nS;\n-- migrate:downgrad\n",
       "v/x.sql:5: '-- migrate:downgrad' is not a marker"},
      {"-- revision: a\n-- down_revision: null\n--migrate:upgrade\n",
       "v/x.sql:3: '--migrate:upgrade' is not a marker"},
      {"-- revision: a\n-- down_revision: null\n-- migrate: upgrade\n",
       "v/x.sql:3: '-- migrate: upgrade' is not a marker"},
  };
  for (const auto& c : cases) {
    INFO("file:\n" << c.text);
    std::string e = parse_error(c.text);
    CHECK_THAT(e, Contains(c.expected));
    if (c.also) CHECK_THAT(e, Contains(c.also));
  }
}

TEST_CASE("every header error names the file and the line", "[revision_file]") {
  // The header lines; with_header() adds the markers.
  const ErrorCase cases[] = {
      // A header line without --.
      {"-- revision: a\nrevision: b\n-- down_revision: null\n",
       "v/x.sql:2: a header line must begin with `--`"},
      // Bad YAML: the line yaml-cpp reports, mapped to the file.
      {"-- revision: a\n-- down_revision: null\n-- message: [a, b\n",
       "v/x.sql:3: bad YAML in the header: end of sequence flow not found"},
      {"-- revision: a\n-- down_revision: null\n-- message: a: b\n",
       "v/x.sql:3: bad YAML in the header"},
      // Free text in the header.
      {"-- This migration adds a table.\n", "v/x.sql:1: the header must be `-- key: value` lines"},
      // No revision.
      {"-- down_revision: null\n", "v/x.sql:1: the header has no `revision`"},
      {"", "v/x.sql:1: the header has no `revision`"},
      // No down_revision: at the revision line.
      {"-- message: m\n-- revision: a\n", "v/x.sql:2: the header has no `down_revision`"},
      // An unknown key, and the same through the yaml-cpp reader (a block
      // list forces it).
      {"-- revision: a\n-- down_revision: null\n\n-- transactionl: false\n",
       "v/x.sql:4: unknown header key `transactionl`"},
      {"-- revision: a\n-- down_revision:\n--   - b\n-- author: me\n",
       "v/x.sql:4: unknown header key `author`"},
      // A duplicated key, through either reader.
      {"-- revision: a\n-- down_revision: null\n-- revision: b\n",
       "v/x.sql:3: duplicate key `revision` (first at line 1)"},
      {"-- revision: a\n-- down_revision:\n--   - b\n-- revision: c\n",
       "v/x.sql:4: duplicate key `revision` (first at line 1)"},
      // Bad ids.
      {"-- revision: ab-cd\n-- down_revision: null\n", "v/x.sql:1: invalid revision id 'ab-cd'"},
      {"-- revision: " + std::string(65, 'a') + "\n-- down_revision: null\n",
       "v/x.sql:1: invalid revision id"},
      {"-- revision: a\n-- down_revision: [b, 'c d']\n", "v/x.sql:2: invalid revision id 'c d'"},
      {"-- revision: a\n-- down_revision: null\n-- branch_labels: [my-branch]\n",
       "v/x.sql:3: invalid branch label 'my-branch'"},
      {"-- revision: null\n-- down_revision: null\n", "v/x.sql:1: `revision` must be one id"},
      // Values of the wrong kind.
      {"-- revision: [a, b]\n-- down_revision: null\n", "v/x.sql:1: `revision` must be one id"},
      {"-- revision: a\n-- down_revision: [b, null]\n",
       "v/x.sql:2: `down_revision` holds a null item"},
      {"-- revision: a\n-- down_revision: [b, b]\n", "v/x.sql:2: `down_revision` lists 'b' twice"},
      {"-- revision: a\n-- down_revision: null\n-- message: [x]\n",
       "v/x.sql:3: `message` must be text, not a list"},
      {"-- revision: a\n-- down_revision: null\n-- transactional: maybe\n",
       "v/x.sql:3: `transactional` must be true or false"},
      {"-- revision: a\n-- down_revision: null\n-- lock_timeout: 5 seconds\n",
       "v/x.sql:3: `lock_timeout` must be a time value with a unit, such as 500ms"},
      {"-- revision: a\n-- down_revision: null\n\n-- statement_timeout: [1s]\n",
       "v/x.sql:4: `statement_timeout` must be a time value with a unit"},
      {"-- revision: a\n-- down_revision: null\n-- lock_timeout:\n",
       "v/x.sql:3: `lock_timeout` must be a time value with a unit"},
      {"-- revision: a\n-- down_revision: {x: 1}\n",
       "v/x.sql:2: `down_revision` must be a value or a list, not a mapping"},
      {"-- revision: a\n-- down_revision: [[b]]\n",
       "v/x.sql:2: `down_revision`: a list item must be a single value"},
  };
  for (const auto& c : cases) {
    INFO("header:\n" << c.text);
    std::string e = parse_error(with_header(c.text));
    CHECK_THAT(e, Contains(c.expected));
    if (c.also) CHECK_THAT(e, Contains(c.also));
  }
}

TEST_CASE("parse_revision_file reads the file; a missing file names its path", "[revision_file]") {
  testsupport::TempDir dir;
  testsupport::write_file(dir / "a.sql", kExample);
  RevisionFile f = parse_revision_file(dir / "a.sql");
  CHECK(f.id == "1975ea83b712");
  CHECK(f.path == dir / "a.sql");
  CHECK(f.content == kExample);
  try {
    parse_revision_file(dir / "missing.sql");
    FAIL("expected an error");
  } catch (const migrate::Error& e) {
    CHECK_THAT(e.what(), Contains(dir / "missing.sql"));
  }
}

TEST_CASE("is_valid_revision_id", "[revision_file]") {
  using migrate::script::is_valid_revision_id;
  CHECK(is_valid_revision_id("1975ea83b712"));
  CHECK(is_valid_revision_id("A_b_9"));
  CHECK(is_valid_revision_id(std::string(64, 'x')));
  CHECK_FALSE(is_valid_revision_id(std::string(65, 'x')));
  CHECK_FALSE(is_valid_revision_id(""));
  CHECK_FALSE(is_valid_revision_id("a-b"));
  CHECK_FALSE(is_valid_revision_id("a b"));
  CHECK_FALSE(is_valid_revision_id("a@head"));
  CHECK_FALSE(is_valid_revision_id("caf\xC3\xA9"));
}

// The fast reader must read every header it accepts exactly as yaml-cpp does.
TEST_CASE("fast header reader and yaml-cpp agree", "[revision_file][fast_path]") {
  const std::vector<std::vector<std::string>> headers = {
      {"revision: 1975ea83b712", "down_revision: null", "branch_labels: []", "depends_on: []",
       "message: create accounts table", "created: 2026-11-23T10:00:00Z", ""},
      {"revision: 1975e8", "down_revision: [0042, 1e5, abc]"},
      {"revision: a", "down_revision: ~", "message: NULL"},
      {"revision: a", "down_revision: Null", "message: 'null'", "created: \"~\""},
      {"revision: a", "down_revision: [ 'x1' , \"y2\" ]"},
      {"revision: a", "down_revision: [x1, ~]"},
      {"revision: a", "down_revision: [x1]   # merge", "# comment line", "   # indented comment"},
      {"revision: a", "message: fix bug #12", "created: 2026-11-23 10:00"},
      {"message: it's a test", "transactional: false"},
      {"message: 'it''s # quoted'", "revision: b"},
      {"message: \"say \"  # trailing", "revision: b"},
      {"message: add [x], {y}, z; and more", "revision: c"},
      {"message: colon:inside and a - dash", "revision: c"},
      {"message: 100%", "revision: c"},
      {"message: caf\xC3\xA9 \xE2\x9C\x93", "revision: c"},
      {"message: a#b c", "revision: c"},
      {"message: trailing spaces   ", "revision: c"},
      {"message: ''", "revision: c"},
      {"message: \"\"", "revision: c"},
      {"revision: a", "revision: a"},  // duplicates are kept for the caller to report
      {"unknown_key: x", "revision: a"},
      {"depends_on: [lbl@x, a.b, a-b, a+b, a/b]"},
      {},
      {"", "", "revision: a", ""},
  };
  for (const auto& storage : headers) {
    INFO("header:\n" << migrate::util::join(storage, "\n"));
    auto lines = header_lines(storage);
    auto fast = parse_header_fast(lines);
    REQUIRE(fast.has_value());
    std::vector<HeaderEntry> slow = parse_header_yaml(lines, "x.sql");
    REQUIRE(fast->size() == slow.size());
    for (std::size_t i = 0; i < slow.size(); ++i) {
      INFO("entry " << i << ": key " << slow[i].key << " scalar '" << slow[i].value.scalar
                    << "' fast scalar '" << (*fast)[i].value.scalar << "'");
      CHECK((*fast)[i] == slow[i]);
    }
  }
}

// Forms where YAML's rules are subtle: the fast reader declines and yaml-cpp
// reads them (or reports them).
TEST_CASE("fast header reader declines what it does not fully understand",
          "[revision_file][fast_path]") {
  const std::vector<std::vector<std::string>> headers = {
      {"down_revision:", "  - a", "  - b"},         // block list
      {"message: >", "  folded"},                   // block scalar
      {"message: \"esc\\n\""},                      // escapes
      {"message: 'multi", "  line'"},               // multi-line quoted
      {"message: plain", "  continued"},            // multi-line plain
      {"message: &anchor x", "created: *anchor"},   // anchors, aliases
      {"message: !!str 12"},                        // tags
      {"message: a: b"},                            // nested mapping (an error)
      {"message: -x"},                              // indicator first
      {"message: @x"},                              // reserved indicator
      {"message: x\ty"},                            // tab inside
      {"down_revision: [a, b,]"},                   // trailing comma
      {"down_revision: [a, [b]]"},                  // nested list
      {"down_revision: [a b]"},                     // space in a plain item
      {"down_revision: [a,", "  b]"},               // list over two lines
      {"down_revision: {a: b}"},                    // mapping
      {"'quoted key': x"},                          // quoted key
      {"  revision: a"},                            // indented
      {"revision:a"},                               // not a key
      {"---", "revision: a"},                       // document marker
      {"null: x"},                                  // null key
      {"revision: a # c", "message: x", "- item"},  // not a mapping
  };
  for (const auto& storage : headers) {
    INFO("header:\n" << migrate::util::join(storage, "\n"));
    CHECK_FALSE(parse_header_fast(header_lines(storage)).has_value());
  }
  // ... and yaml-cpp takes over, e.g. for the block list:
  std::vector<std::string> block = {"down_revision:", "  - a", "  - b"};
  auto entries = parse_header_yaml(header_lines(block), "x.sql");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].line == 1);
  CHECK(entries[0].value.kind == HeaderValue::kList);
  REQUIRE(entries[0].value.items.size() == 2);
  CHECK(entries[0].value.items[1].text == "b");
}

TEST_CASE("yaml_quote gives back the text through either reader", "[revision_file][fast_path]") {
  using migrate::script::yaml_quote;
  CHECK(yaml_quote("create accounts table") == "create accounts table");
  CHECK(yaml_quote("null") == "'null'");
  CHECK(yaml_quote("it's") == "it's");
  CHECK(yaml_quote("a: b") == "'a: b'");
  CHECK(yaml_quote("# x") == "'# x'");
  CHECK(yaml_quote("") == "''");
  CHECK(yaml_quote("a,b", true) == "'a,b'");
  CHECK(yaml_quote("abc", true) == "abc");
  const std::vector<std::string> texts = {"create accounts table",
                                          "null",
                                          "Null",
                                          "~",
                                          "true",
                                          "it's",
                                          "'quoted'",
                                          "\"dq\"",
                                          "a: b",
                                          "a:b",
                                          "# x",
                                          "fix bug #12",
                                          "  leading",
                                          "trailing ",
                                          "",
                                          "[x]",
                                          "{y}",
                                          "- x",
                                          "100%",
                                          "@x",
                                          "`x`",
                                          "tab\there",
                                          "line\nbreak",
                                          "back\\slash",
                                          "*star",
                                          "&amp",
                                          "!bang",
                                          "|pipe",
                                          ">gt",
                                          "?q",
                                          ": colon",
                                          "caf\xC3\xA9",
                                          "a\x01"
                                          "b"};
  for (const auto& text : texts) {
    INFO("text: '" << text << "' quoted as " << yaml_quote(text));
    // Through the whole file parser (fast reader or fallback)...
    RevisionFile f = parse_revision_text(
        with_header("-- revision: r\n-- down_revision: null\n-- message: " + yaml_quote(text) +
                    "\n"),
        "x.sql");
    CHECK(f.message == text);
    // ... and through each reader on its own.
    std::vector<std::string> storage = {"message: " + yaml_quote(text)};
    auto slow = parse_header_yaml(header_lines(storage), "x.sql");
    REQUIRE(slow.size() == 1);
    CHECK(slow[0].value.scalar == text);
    if (auto fast = parse_header_fast(header_lines(storage))) {
      REQUIRE(fast->size() == 1);
      CHECK((*fast)[0].value.scalar == text);
    }
    // In a flow list.
    std::vector<std::string> list = {"depends_on: [a, " + yaml_quote(text, true) + "]"};
    auto slow_list = parse_header_yaml(header_lines(list), "x.sql");
    REQUIRE(slow_list.size() == 1);
    REQUIRE(slow_list[0].value.items.size() == 2);
    CHECK(slow_list[0].value.items[1].text == text);
    if (auto fast = parse_header_fast(header_lines(list))) {
      CHECK((*fast)[0].value.items[1].text == text);
    }
  }
}
