#include "config/search_path.h"

#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

constexpr std::size_t kMaxIdentifier = 63;

bool unquoted_char(char c, bool first) {
  const auto u = static_cast<unsigned char>(c);
  // As the server's scanner: letters (and any byte of a multibyte
  // character), `_`, then also digits and `$` ("$user" is written quoted).
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80) return true;
  return !first && ((c >= '0' && c <= '9') || c == '$');
}

}  // namespace

std::vector<std::string> parse_search_path(const std::string& text, const std::string& where) {
  auto bad = [&](const std::string& why) {
    return Error(where + ": bad search_path '" + util::one_line(text) + "': " + why);
  };
  if (text.find('\0') != std::string::npos) throw bad("it holds a NUL byte");
  std::vector<std::string> names;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto skip_space = [&] {
    while (i < n && util::is_space(text[i])) ++i;
  };
  skip_space();
  if (i == n) throw bad("it names no schema");
  for (;;) {
    skip_space();
    std::string name;
    if (i < n && text[i] == '"') {
      for (++i;; ++i) {
        if (i == n) throw bad("a quoted name is not closed");
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            name += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        name += text[i];
      }
      if (name.empty()) throw bad("\"\" is not a schema name");
    } else {
      while (i < n && unquoted_char(text[i], name.empty())) name += text[i++];
      if (name.empty())
        throw bad(i == n || text[i] == ',' ? "a name is missing between commas"
                                           : std::string("unexpected '") + text[i] +
                                                 "' (quote a name that holds it: \"...\")");
      name = util::to_lower(name);
    }
    if (name.size() > kMaxIdentifier)
      throw bad("'" + name + "' is longer than 63 bytes (PostgreSQL would cut it)");
    names.push_back(name);
    skip_space();
    if (i == n) return names;
    if (text[i] != ',')
      throw bad(std::string("unexpected '") + text[i] + "' after '" + name +
                "' (names are separated by commas)");
    ++i;
  }
}

}  // namespace migrate::config
