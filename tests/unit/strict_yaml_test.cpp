// The strict YAML reading shared by migrate.yaml and revision headers: what
// yaml-cpp would silently drop, swallow or pass on is an error naming
// FILE:LINE, in both readers (and the fast header reader).
#include "config/strict_yaml.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "config/config.h"
#include "script/revision_file.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/strings.h"

using Catch::Matchers::Contains;
using testsupport::error_of;
using testsupport::TempDir;

namespace {

// The error of loading a migrate.yaml holding `text`, with the file's path
// replaced by "F".
std::string config_error(const std::string& text) {
  TempDir dir;
  testsupport::write_file(dir / "migrate.yaml", text);
  std::string e = error_of([&] { migrate::config::load_config(dir / "migrate.yaml", {}); });
  std::size_t at = e.find(dir / "migrate.yaml");
  if (at != std::string::npos) e.replace(at, (dir / "migrate.yaml").size(), "F");
  return e;
}

// The error of parsing a revision file whose header is `header`.
std::string header_error(const std::string& header) {
  std::string text = header + "\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n";
  return error_of([&] { migrate::script::parse_revision_text(text, "F"); });
}

const std::string kHead = "-- revision: a1\n-- down_revision: null\n";

}  // namespace

TEST_CASE("a document marker is refused, not taken as the end of the settings", "[yaml]") {
  CHECK_THAT(config_error("script_location: m\n---\nversion_table: v\n"),
             Contains("F:2: `---` is a YAML document marker"));
  CHECK_THAT(config_error("script_location: m\n...\nversion_table: v\n"),
             Contains("F:2: `...` is a YAML document marker"));
  CHECK_THAT(header_error(kHead + "-- ---\n-- message: lost\n"),
             Contains("F:3: `---` is a YAML document marker"));
  CHECK_THAT(header_error(kHead + "-----\n-- message: lost\n"),
             Contains("F:3: `---` is a YAML document marker"));
  CHECK_THAT(header_error(kHead + "-- ...\n-- message: lost\n"), Contains("F:3: `...`"));
  // A leading `---` opens the one document: allowed.
  TempDir dir;
  testsupport::write_file(dir / "migrate.yaml", "# c\n---\nscript_location: m\n");
  CHECK(migrate::config::load_config(dir / "migrate.yaml", {}).script_location == dir / "m");
}

TEST_CASE("an unterminated quote is refused at its line, not run over the next keys", "[yaml]") {
  CHECK_THAT(config_error("script_location: m\ndatabase_url: \"sqlite:///a.db\nversion_table: v\n"),
             Contains("F:2: the \"-quoted value opened here does not close on this line"));
  CHECK_THAT(config_error("script_location: 'm\nversion_table: v\n"),
             Contains("F:1: the '-quoted value"));
  CHECK_THAT(header_error(kHead + "-- message: \"tidy\n-- transactional: false\n"),
             Contains("F:3: the \"-quoted value opened here does not close"));
  CHECK_THAT(header_error(kHead + "-- message: 'tidy\n-- transactional: false\n"),
             Contains("F:3: the '-quoted value"));
  // Escapes inside one line are fine.
  auto rev = migrate::script::parse_revision_text(
      kHead + "-- message: \"a \\\" b\"\n-- migrate:upgrade\n-- migrate:downgrade\n", "F");
  CHECK(rev.message == "a \" b");
  rev = migrate::script::parse_revision_text(
      kHead + "-- message: 'it''s'\n-- migrate:upgrade\n-- migrate:downgrade\n", "F");
  CHECK(rev.message == "it's");
}

TEST_CASE("a NUL byte or another control character is refused with its line", "[yaml]") {
  CHECK_THAT(
      config_error(std::string("script_location: m\ndatabase_url: sqlite:///a.db") + '\0' + "x\n"),
      Contains("F:2: a control character (byte 0x00) is not allowed here (a NUL byte"));
  CHECK_THAT(header_error(kHead + std::string("-- message: a\0b\n", 16)),
             Contains("F:3: a control character (byte 0x00)"));
  CHECK_THAT(header_error(kHead + "-- message: a\x01 b\n"), Contains("F:3: a control character"));
}

TEST_CASE("invalid UTF-8 is refused at read time with file:line", "[yaml]") {
  CHECK_THAT(header_error(kHead + "-- message: caf\xe9\n"),
             Contains("F:3: invalid UTF-8 at column 16; save the file as UTF-8"));
  CHECK_THAT(config_error("script_location: m\xff\n"), Contains("F:1: invalid UTF-8"));
  // Valid UTF-8 is kept as written.
  auto rev = migrate::script::parse_revision_text(
      kHead + "-- message: caf\xc3\xa9 \xe2\x82\xac\n-- migrate:upgrade\n-- migrate:downgrade\n",
      "F");
  CHECK(rev.message == "caf\xc3\xa9 \xe2\x82\xac");
}

TEST_CASE("invalid_utf8_at: overlong forms, surrogates, truncation", "[yaml]") {
  using migrate::util::invalid_utf8_at;
  constexpr auto npos = std::string_view::npos;
  CHECK(invalid_utf8_at("plain") == npos);
  CHECK(invalid_utf8_at("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == npos);
  CHECK(invalid_utf8_at("a\xc0\xaf") == 1);         // overlong '/'
  CHECK(invalid_utf8_at("ab\xed\xa0\x80") == 2);    // a surrogate
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);  // past U+10FFFF
  CHECK(invalid_utf8_at("x\xe2\x82") == 1);         // truncated
  CHECK(invalid_utf8_at("\x80") == 0);              // a lone continuation byte
}

TEST_CASE("nested ${A:-${A:-...}} defaults are bounded", "[yaml]") {
  std::string deep;
  for (int i = 0; i < 60000; ++i) deep += "${MIGRATE_T_UNSET_X:-";
  deep += "x";
  deep += std::string(60000, '}');
  CHECK_THAT(error_of([&] { migrate::config::expand_env(deep); }),
             Contains("nested more than 8 deep"));
  std::string ok = "x";
  for (int i = 0; i < 7; ++i) ok = "${MIGRATE_T_UNSET_X:-" + ok + "}";
  CHECK(migrate::config::expand_env(ok) == "x");
}
