#include "config/secrets.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "config/secrets_forget.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The secrets seen so far, longest first (so that a secret holding a
// shorter one is hidden whole).
struct Known {
  std::mutex mutex;
  std::vector<std::string> secrets;
};

Known& known() {
  static Known k;
  return k;
}

void remember(std::string_view secret) {
  if (secret.empty() || secret.find_first_not_of('*') == std::string_view::npos) return;
  Known& k = known();
  std::lock_guard<std::mutex> lock(k.mutex);
  if (std::find(k.secrets.begin(), k.secrets.end(), secret) != k.secrets.end()) return;
  // Longest first (a secret holding another is hidden whole), and after
  // those of its own length: inserted in place, not appended and the whole
  // list sorted again, which made a URL whose user info holds k '@' (one
  // secret each) cost k sorts of up to 2k strings.
  auto at =
      std::upper_bound(k.secrets.begin(), k.secrets.end(), secret.size(),
                       [](std::size_t size, const std::string& s) { return size > s.size(); });
  k.secrets.emplace(at, secret);
}

void remember_both(std::string_view raw) {
  remember(raw);
  remember(percent_decode_lenient(raw));
}

// Length of the password value starting at `i`: a quoted value runs to its
// closing quote (backslash escapes, as libpq reads them); a bare one to
// whitespace, or also to '&' / '#' inside a URL query.
std::size_t secret_end(const std::string& text, std::size_t i, bool in_query) {
  const std::size_t n = text.size();
  if (i < n && (text[i] == '\'' || text[i] == '"')) {
    char quote = text[i];
    for (std::size_t j = i + 1; j < n; ++j) {
      if (text[j] == '\\') {
        ++j;
      } else if (text[j] == quote) {
        return j + 1;
      }
    }
    return n;  // unterminated: hide the rest rather than leak it
  }
  std::size_t j = i;
  while (j < n && !util::is_space(text[j]) && !(in_query && (text[j] == '&' || text[j] == '#'))) {
    ++j;
  }
  return j;
}

bool matches_password_key(const std::string& text, std::size_t i) {
  static constexpr std::string_view kKey = "password";
  if (i + kKey.size() > text.size()) return false;
  for (std::size_t k = 0; k < kKey.size(); ++k) {
    char c = text[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kKey[k]) return false;
  }
  return true;
}

// The shapes: scheme://user:password@host, password=..., ?password=...&.
std::string redact_shapes(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // scheme://user:password@host: hide everything between the first ':'
    // and the *last* '@' of the URL, so that a password holding a raw '@'
    // (which libpq would reject, but an error message may still echo) is
    // hidden too.
    if (text.compare(i, 3, "://") == 0) {
      out += "://";
      i += 3;
      std::size_t end = i;
      while (end < n && !util::is_space(text[end])) ++end;
      std::size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
      if (at != std::string::npos && at >= i) {
        std::size_t colon = text.find(':', i);
        if (colon < at) {
          out.append(text, i, colon - i);
          out += ":***@";
          i = at + 1;
        }
      }
      continue;
    }
    // password=..., PGPASSWORD=..., ?password=...&
    if (matches_password_key(text, i)) {
      std::size_t k = i + 8;
      while (k < n && (text[k] == ' ' || text[k] == '\t')) ++k;
      if (k < n && text[k] == '=') {
        ++k;
        while (k < n && (text[k] == ' ' || text[k] == '\t')) ++k;
        std::size_t key_start = i;
        while (key_start > 0 && is_ident_char(text[key_start - 1])) --key_start;
        bool in_query = key_start > 0 && (text[key_start - 1] == '?' || text[key_start - 1] == '&');
        std::size_t end = secret_end(text, k, in_query);
        out.append(text, i, k - i);
        out += "***";
        i = end;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Hides every occurrence of `secret` in `text` (in place) that is not part
// of a longer run of letters and digits.
void hide(std::string& text, const std::string& secret) {
  std::size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    std::size_t end = pos + secret.size();
    bool inside_word = (pos > 0 && is_alnum(text[pos - 1]) && is_alnum(secret.front())) ||
                       (end < text.size() && is_alnum(text[end]) && is_alnum(secret.back()));
    if (inside_word) {
      pos = end;
      continue;
    }
    text.replace(pos, secret.size(), "***");
    pos += 3;
  }
}

}  // namespace

std::string percent_decode_lenient(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hi = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool is_secret_parameter(std::string_view decoded_key) {
  std::string key = util::to_lower(decoded_key);
  return key == "password" || key == "sslpassword";
}

void remember_secrets_in(std::string_view text) {
  std::size_t from = 0;
  while ((from = text.find("://", from)) != std::string_view::npos) {
    std::size_t begin = from + 3;
    std::size_t end = begin;
    while (end < text.size() && !util::is_space(text[end])) ++end;
    std::string_view url = text.substr(begin, end - begin);
    from = end;

    std::size_t q = url.find('?');
    std::string_view authority = url.substr(0, q);
    // libpq ends the user info at the first '@' before a '/'; a password
    // holding a raw '@' or '/' (which libpq reads otherwise) ends at a later
    // one: each is remembered, so whichever a message quotes is hidden.
    const std::size_t colon = authority.find(':');
    for (std::size_t at = authority.find('@'); at != std::string_view::npos;
         at = authority.find('@', at + 1)) {
      if (colon != std::string_view::npos && colon < at)
        remember_both(authority.substr(colon + 1, at - colon - 1));
    }
    if (q == std::string_view::npos) continue;
    for (const std::string& param : util::split(url.substr(q + 1), '&')) {
      std::size_t eq = param.find('=');
      if (eq == std::string::npos) continue;
      if (!is_secret_parameter(percent_decode_lenient(std::string_view(param).substr(0, eq)))) {
        continue;
      }
      std::string_view value = std::string_view(param).substr(eq + 1);
      if (std::size_t hash = value.find('#'); hash != std::string_view::npos) {
        value = value.substr(0, hash);
      }
      remember_both(value);
    }
  }
}

void forget_secrets() {
  Known& k = known();
  std::lock_guard<std::mutex> lock(k.mutex);
  k.secrets.clear();
}

std::string redact_secrets(const std::string& text) {
  std::string out = redact_shapes(text);
  Known& k = known();
  std::lock_guard<std::mutex> lock(k.mutex);
  for (const std::string& secret : k.secrets) hide(out, secret);
  return out;
}

}  // namespace migrate::config
