// util/strings.h: one_line, the guard of every comment line in generated SQL.
#include <catch2/catch.hpp>

#include "util/strings.h"

using migrate::util::one_line;

TEST_CASE("one_line keeps a comment's text on its line", "[strings]") {
  CHECK(one_line("tidy\nDROP TABLE keep_me;") == "tidy\\nDROP TABLE keep_me;");
  CHECK(one_line("a\r\nb") == "a\\r\\nb");
  CHECK(one_line(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(one_line("del\x7f") == "del\\x7f");
  // Tabs and non-ASCII text (UTF-8 bytes) stay as they are.
  CHECK(one_line("a\tb") == "a\tb");
  CHECK(one_line("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(one_line("") == "");
}
