#include "lint/directives.h"

#include <algorithm>
#include <cstring>

#include "util/strings.h"

namespace migrate::lint {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// "a,b", "a, b", "a ,b": the rule list is the words joined by commas; the
// reason is what follows the last word of the list.
void split_ignore(std::string_view rest, Directive& d) {
  std::size_t i = 0;
  auto skip_blanks = [&](std::size_t k) {
    while (k < rest.size() && blank(rest[k])) ++k;
    return k;
  };
  i = skip_blanks(i);
  for (;;) {
    const std::size_t start = i;
    while (i < rest.size() && !blank(rest[i]) && rest[i] != ',') ++i;
    if (i == start) break;
    d.rules.emplace_back(rest.substr(start, i - start));
    const std::size_t next = skip_blanks(i);
    if (next >= rest.size() || rest[next] != ',') break;
    i = skip_blanks(next + 1);
  }
  d.reason = std::string(util::trim(rest.substr(std::min(i, rest.size()))));
}

}  // namespace

bool Directive::expects_any() const {
  if (kind != expect_rows) return false;
  std::string a(util::trim(arg));
  for (auto& c : a) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return a == "any";
}

std::vector<Directive> find_directives(const std::string& sql, const LineIndex& lines) {
  std::vector<Directive> out;
  // Cheap rejection: most sections have none.
  if (sql.find("migrate:") == std::string::npos) return out;
  for (std::size_t l = 0; l < lines.lines(); ++l) {
    std::size_t p = lines.line_start(l);
    const std::size_t end = lines.line_end(l);
    while (p < end && blank(sql[p])) ++p;
    if (end - p < 2 || sql[p] != '-' || sql[p + 1] != '-') continue;
    const std::size_t dash = p;
    p += 2;
    while (p < end && blank(sql[p])) ++p;
    std::string_view rest(sql.data() + p, end - p);
    static constexpr std::string_view kIgnore = "migrate:lint-ignore";
    static constexpr std::string_view kExpect = "migrate:expect-rows";
    static constexpr std::string_view kNotConverted = "migrate:not-converted";
    Directive d{};
    std::string_view word;
    if (util::starts_with(rest, kIgnore)) {
      d.kind = Directive::lint_ignore;
      word = kIgnore;
    } else if (util::starts_with(rest, kExpect)) {
      d.kind = Directive::expect_rows;
      word = kExpect;
    } else if (util::starts_with(rest, kNotConverted)) {
      d.kind = Directive::not_converted;
      word = kNotConverted;
    } else {
      continue;
    }
    if (rest.size() > word.size() && !blank(rest[word.size()])) continue;
    rest.remove_prefix(word.size());
    d.line = l;
    d.offset = dash;
    if (d.kind == Directive::lint_ignore)
      split_ignore(rest, d);
    else
      d.arg = std::string(util::trim(rest));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace migrate::lint
