// Small string helpers shared by the modules. ASCII only on purpose: the
// inputs (ids, keys, SQL keywords) are ASCII, and locale-dependent functions
// would make output depend on the user's environment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migrate::util {

// Space, tab, CR, LF, VT, FF.
bool is_space(char c);

// Without leading/trailing whitespace (is_space).
std::string_view trim(std::string_view s);
std::string_view trim_right(std::string_view s);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

// ASCII lowercase.
std::string to_lower(std::string_view s);

// Splits on every `sep`; "a,,b" gives {"a", "", "b"}, "" gives {""}.
std::vector<std::string> split(std::string_view s, char sep);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

// `text` between two `quote`s, each `quote` inside doubled: SQL's quoting of
// literals ('...') and identifiers ("...") in both dialects.
std::string quote_doubled(std::string_view text, char quote);

// `text` safe for the rest of one `--` comment line of generated SQL: LF,
// CR and every other control character (tab excepted) written as `\n`,
// `\r`, `\xNN`. Without it a newline in a revision message, a file name or
// an identifier would end the comment and put the rest of the text into
// the script as live SQL.
std::string one_line(std::string_view text);

// The offset of the first byte of `s` that does not start a well-formed
// UTF-8 sequence (overlong forms, surrogates and code points past U+10FFFF
// are not well-formed), or std::string_view::npos when all of `s` is UTF-8.
std::size_t invalid_utf8_at(std::string_view s);

}  // namespace migrate::util
