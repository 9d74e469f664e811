// Fuzz target: database URLs and redaction (config/url.h, config/secrets.h).
// The input shapes a URL (scheme, user, host and path, query parameters,
// raw or percent-encoded password); the password itself is 8 characters
// drawn from a hash of the whole input (letters, digits and the symbols a
// raw password may hold, '@' and '%' included), so the input cannot
// repeat it elsewhere in the URL. Property: neither the password as
// written in the URL nor its percent-decoded form appears in anything
// migrate would print: the redacted URL, a parse error, and (for text with
// `://`, a URL to libpq) redact_secrets() of the raw URL and of a
// libpq-like message quoting the password. Only migrate::Error is thrown.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/secrets.h"
#include "config/secrets_forget.h"
#include "config/url.h"
#include "fuzz_support.h"
#include "util/error.h"

using migrate::fuzz::fail;

namespace {

std::uint64_t fnv1a(const std::uint8_t* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

std::uint64_t splitmix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string password(std::uint64_t& seed) {
  static const std::string kChars =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!$&'()*+,;=-._~@%:";
  std::string p;
  while (p.size() < 8) p += kChars[splitmix(seed) % kChars.size()];
  return p;
}

std::string percent_encode(const std::string& s, bool all) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (!all && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Text the fuzzer controls, without what would end the URL's authority
// before the password (there the password would not be one).
std::string part(FuzzedDataProvider& in, std::size_t max, const std::string& banned) {
  std::string s = in.ConsumeRandomLengthString(max);
  std::string out;
  for (char c : s)
    if (banned.find(c) == std::string::npos) out += c;
  return out;
}

void check(const std::string& output, const std::vector<std::string>& secrets,
           const std::string& url, const char* where) {
  for (const auto& s : secrets)
    if (s.size() >= 6 && output.find(s) != std::string::npos)
      fail(std::string("a password appears in ") + where,
           "url: " + url + "\npassword: " + s + "\noutput: " + output);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migrate::config::forget_secrets();
  std::uint64_t seed = fnv1a(data, size);
  FuzzedDataProvider in(data, size);
  static const char* const kSchemes[] = {"postgresql://", "postgres://",
                                         "postgresql:", "sqlite:///", "PostgreSQL://"};
  std::string url = kSchemes[in.ConsumeIntegralInRange<int>(0, 4)];
  const std::string user = part(in, 12, "/?#@:");
  const std::string pw = password(seed);
  const int encoding = in.ConsumeIntegralInRange<int>(0, 2);  // raw, needed, all
  std::string written = pw;
  if (encoding == 0) {
    // Raw: only what cannot end the authority.
    for (char& c : written)
      if (c == '/' || c == '?' || c == '#') c = 'x';
  } else {
    written = percent_encode(pw, encoding == 2);
  }
  std::vector<std::string> secrets = {written, migrate::config::percent_decode_lenient(written)};
  url += user + ":" + written + "@" + part(in, 32, "");
  // A password query parameter means something to libpq only.
  const bool postgres = url[0] == 'p' || url[0] == 'P';
  if (in.ConsumeBool() && postgres) {
    static const char* const kKeys[] = {"password", "%70assword", "PASSWORD", "sslpassword",
                                        "pass%77ord"};
    const std::string qpw = password(seed);
    const std::string qwritten = in.ConsumeBool() ? percent_encode(qpw, false) : qpw;
    secrets.push_back(qwritten);
    secrets.push_back(migrate::config::percent_decode_lenient(qwritten));
    url += std::string(url.find('?') == std::string::npos ? "?" : "&") +
           kKeys[in.ConsumeIntegralInRange<int>(0, 4)] + "=" + qwritten;
    // A query value ends at '&' or '#' (a later part is not the password).
    if (qwritten.find_first_of("&#") != std::string::npos) secrets.resize(2);
    // What follows starts a parameter of its own (else it would lengthen
    // the password, which is then no longer the one checked).
    url += "&" + part(in, 16, "");
  }
  // A SQLite URL is a path and holds no secret (shown whole, by contract):
  // only parsing it is checked.
  if (!postgres) {
    try {
      migrate::config::parse_database_url(url, "/base");
    } catch (const migrate::Error&) {
    }
    return 0;
  }
  bool parsed = false;
  try {
    auto u = migrate::config::parse_database_url(url, "/base");
    check(u.redacted(), secrets, url, "the redacted URL");
    parsed = true;
  } catch (const migrate::Error& e) {
    check(e.what(), secrets, url, "a parse error");
  }
  // What a command prints after the URL was parsed: any text through the
  // same filter (libpq quoting the password, CLI11 quoting the argument).
  // Text that is no URL (`postgresql:u:p@h`, no `//` after the scheme) has
  // no password for libpq either: only its parse error is checked above.
  if (url.compare(url.find(':'), 3, "://") != 0) return 0;
  // Nor is text with a space or a control byte (refused by the parser):
  // every scan for a URL in a message ends there.
  for (unsigned char c : url)
    if (c <= ' ' || c == 0x7f) return 0;
  check(migrate::config::redact_secrets(url), secrets, url, "the redacted raw URL");
  check(migrate::config::redact_secrets("The argument " + url + " was not expected"), secrets, url,
        "a CLI11 message");
  // libpq sees only a URL that parsed.
  if (parsed) {
    for (const auto& s : secrets)
      check(migrate::config::redact_secrets("invalid password \"" + s + "\" for user"), secrets,
            url, "a libpq message");
  }
  return 0;
}
