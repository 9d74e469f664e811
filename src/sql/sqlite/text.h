// Text operations on SQLite SQL, token by token (tokens.h): comparing two
// spellings of a definition, renaming an identifier, quoting a name, and
// excerpts for messages. Strings and comments are never touched.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sql/sqlite/tokens.h"

namespace migrate::sql::sqlite {

// A canonical text for comparing two spellings of the same SQL: comments
// dropped, whitespace collapsed, words and plain quoted identifiers
// lowercased and unquoted (SQLite identifiers are case-insensitive), string
// literals and numbers kept exactly. Conservative: two texts that differ in
// anything else still differ.
std::string normalize(const std::string& sql);
std::string normalize(const std::vector<Token>& tokens, std::size_t begin, std::size_t end);

// `sql` with the space between tokens (whitespace, comments) squeezed to one
// space where there was any; the tokens themselves are kept byte for byte.
// For SQL copied out of a layout-aligned file ("a    integer" -> "a integer").
std::string squeeze(const std::string& sql);

// Lowercase ASCII name, for case-insensitive matching of SQLite names.
std::string fold(const std::string& name);

// `name` as an SQLite identifier: bare when it is a plain word that is not a
// keyword, else double-quoted.
std::string quote_ident(const std::string& name);

// `sql` with every word/quoted identifier equal (case-insensitively) to
// `from` replaced by quote_ident(`to`); other text kept byte for byte.
std::string replace_ident(const std::string& sql, const std::string& from, const std::string& to);

// Whether `sql` mentions the identifier `name` (a word or quoted identifier).
bool mentions(const std::string& sql, const std::string& name);

// The first line of the statement in [pos, end), shortened for error
// messages: "INSERT INTO accounts ..." when the statement goes on. `end` may
// be the end of the text when the statement's own end is unknown.
std::string first_line_of(const std::string& sql, std::size_t pos, std::size_t end);

}  // namespace migrate::sql::sqlite
