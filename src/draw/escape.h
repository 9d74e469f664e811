// Text inside the pictures' languages: each has its own quoting, and a
// message or a column type is user text that must not end a string early
// or inject markup.
#pragma once

#include <string>

namespace migrate::draw {

// Inside a DOT double-quoted string: `"` and `\` escaped; a line break
// becomes DOT's `\n`.
std::string dot_quoted(const std::string& s);

// Inside a Graphviz HTML-like label: &, <, > and " as entities.
std::string html_text(const std::string& s);

// Inside a Mermaid double-quoted label or comment: `"` and the characters
// Mermaid would read as markup or entity codes written as its entity codes
// (#quot; #lt; #gt; #amp; #35;); a line break becomes a space.
std::string mermaid_text(const std::string& s);

// A Mermaid erDiagram attribute word (a column's type or name): Mermaid
// accepts a letter, then letters, digits and `-_[]()`; each run of
// anything else becomes one `_`, so "character varying(20)" is
// "character_varying(20)" and "numeric(12, 2)" is "numeric(12_2)".
// The case-insensitive key words PK, FK and UK get a trailing `_`.
std::string mermaid_word(const std::string& s);

// The first line of a message.
std::string first_line(const std::string& s);

}  // namespace migrate::draw
