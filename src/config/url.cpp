#include "config/url.h"

#include <fmt/format.h>

#include <filesystem>
#include <string_view>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:///";
constexpr std::string_view kPgPrefixes[] = {"postgresql://", "postgres://"};

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A URL that is not `scheme://...`, or holds a space or a control byte
// (where every scan for secrets stops), cannot be cut into parts, so where
// its password is cannot be known: its message shows only the scheme
// (SQLite URLs hold no secrets and are shown whole).
[[noreturn]] void bad_url(const std::string& url, const std::string& why) {
  const std::size_t colon = url.find(':');
  bool cut = colon != std::string::npos && url.compare(colon, 3, "://") == 0;
  for (unsigned char c : url) cut = cut && c > ' ' && c != 0x7f;
  if (!cut && !util::starts_with(url, "sqlite:") && colon != std::string::npos &&
      colon + 1 < url.size()) {
    throw Error("bad database URL '" + url.substr(0, colon + 1) +
                "...' (the rest is not shown: it may hold a password): " + why);
  }
  throw Error("bad database URL '" + util::one_line(redact_secrets(url)) + "': " + why);
}

std::string percent_decode(std::string_view s, const std::string& url) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) bad_url(url, "truncated %-escape");
    int hi = hex_value(s[i + 1]);
    int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) bad_url(url, "bad %-escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (is_ident_char(c) || c == '-' || c == '.' || c == '~') {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

// A postgresql:// URL cut the way libpq cuts it (conninfo_uri_parse_options):
// the user info ends at the first '@' met before any '/', the host list at
// the first '/' or '?', the database name at '?'.
struct PgParts {
  std::string_view prefix;    // "postgresql://"
  std::string_view userinfo;  // "user:password", without '@'; may be empty
  bool has_userinfo = false;
  std::string_view hosts;   // "h1:5432,h2" or "[::1]:5432"
  bool has_slash = false;   // a '/' after the hosts (maybe an empty dbname)
  std::string_view dbname;  // without '/'
  std::string_view query;   // with '?', or empty
};

bool split_pg(std::string_view url, PgParts& parts) {
  for (std::string_view prefix : kPgPrefixes) {
    if (!util::starts_with(url, prefix)) continue;
    parts.prefix = prefix;
    std::string_view rest = url.substr(prefix.size());
    std::size_t q = rest.find('?');
    if (q != std::string_view::npos) {
      parts.query = rest.substr(q);
      rest = rest.substr(0, q);
    }
    std::size_t at_or_slash = rest.find_first_of("@/");
    if (at_or_slash != std::string_view::npos && rest[at_or_slash] == '@') {
      parts.has_userinfo = true;
      parts.userinfo = rest.substr(0, at_or_slash);
      rest = rest.substr(at_or_slash + 1);
    }
    std::size_t slash = rest.find('/');
    parts.hosts = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
      parts.has_slash = true;
      parts.dbname = rest.substr(slash + 1);
    }
    return true;
  }
  return false;
}

void parse_hosts(std::string_view hosts, const std::string& url, DatabaseUrl& out) {
  if (hosts.empty()) return;  // libpq: PGHOST, else the default socket
  std::vector<std::string> names, ports;
  for (const std::string& entry : util::split(hosts, ',')) {
    std::string_view e = entry;
    std::string_view host = e, port;
    if (util::starts_with(e, "[")) {  // [IPv6]:port
      std::size_t close = e.find(']');
      if (close == std::string_view::npos) bad_url(url, "unterminated '[' in host");
      host = e.substr(1, close - 1);
      std::string_view after = e.substr(close + 1);
      if (!after.empty()) {
        if (after[0] != ':') bad_url(url, "expected ':' after ']' in host");
        port = after.substr(1);
      }
    } else if (std::size_t colon = e.rfind(':'); colon != std::string_view::npos) {
      host = e.substr(0, colon);
      port = e.substr(colon + 1);
    }
    for (char c : port) {
      if (c < '0' || c > '9') bad_url(url, "the port must be a number");
    }
    names.push_back(percent_decode(host, url));
    ports.emplace_back(port);
  }
  // libpq's key-value form for several hosts: host=h1,h2 port=p1,p2.
  out.host = util::join(names, ",");
  bool any_port = false;
  for (const auto& p : ports) any_port = any_port || !p.empty();
  if (any_port) out.port = util::join(ports, ",");
}

DatabaseUrl parse_postgres(const std::string& url, const PgParts& parts) {
  DatabaseUrl out;
  out.kind = DatabaseUrl::kPostgres;
  out.raw = url;
  // libpq would stop at a NUL and take spaces as they are, where every
  // scan for secrets ends a URL (config/secrets.h): refused, so the text
  // libpq reads is the text whose secrets are known.
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f) {
      bad_url(url, fmt::format("a space or control character (byte 0x{:02x}) in the URL: "
                               "percent-encode it (a space is %20)",
                               static_cast<unsigned>(c)));
    }
  }
  if (parts.hosts.find('@') != std::string_view::npos) {
    bad_url(url, "a raw '@' in the user name or password: percent-encode it as %40");
  }
  if (parts.has_userinfo) {
    std::size_t colon = parts.userinfo.find(':');
    out.user = percent_decode(parts.userinfo.substr(0, colon), url);
    if (colon != std::string_view::npos) {
      // libpq decodes it too, and quotes the whole token when it cannot.
      std::string_view password = parts.userinfo.substr(colon + 1);
      for (std::size_t i = 0; i < password.size(); ++i) {
        if (password[i] == '%' && (i + 2 >= password.size() || hex_value(password[i + 1]) < 0 ||
                                   hex_value(password[i + 2]) < 0)) {
          bad_url(url, "a bad %-escape in the password: percent-encode a raw '%' as %25");
        }
      }
    }
  }
  parse_hosts(parts.hosts, url, out);
  out.dbname = percent_decode(parts.dbname, url);
  if (parts.dbname.find('/') != std::string_view::npos) {
    bad_url(url, "the database name cannot contain '/'");
  }
  return out;
}

DatabaseUrl parse_sqlite(const std::string& url, const std::string& base_dir) {
  if (!util::starts_with(url, kSqlitePrefix)) {
    // `sqlite://host/...` names a host; `sqlite:app.db` or `sqlite:/app.db`
    // only lacks slashes, and is told so rather than about a host it has not.
    const bool host = util::starts_with(url, "sqlite://") && url.size() > 9;
    bad_url(url,
            fmt::format("{}: use sqlite:///relative/path.db (three slashes: a relative "
                        "path), sqlite:////absolute/path.db (four: an absolute one) or "
                        "sqlite:///:memory:",
                        host ? "SQLite URLs have no host" : "too few slashes after `sqlite:`"));
  }
  std::string path = url.substr(kSqlitePrefix.size());
  if (path.empty() || path == "/") bad_url(url, "no database file path");
  if (path.find('?') != std::string::npos) {
    bad_url(url, "query parameters are not supported for SQLite");
  }
  DatabaseUrl out;
  out.kind = DatabaseUrl::kSqlite;
  out.raw = url;
  if (path == ":memory:" || path[0] == '/' || base_dir.empty()) {
    out.sqlite_path = path;
  } else {
    out.sqlite_path = (std::filesystem::path(base_dir) / path).lexically_normal().string();
  }
  return out;
}

}  // namespace

std::string DatabaseUrl::redacted() const {
  PgParts parts;
  if (kind != kPostgres || !split_pg(raw, parts)) return redact_secrets(raw);
  std::string out(parts.prefix);
  if (parts.has_userinfo) {
    std::size_t colon = parts.userinfo.find(':');
    out += parts.userinfo.substr(0, colon);
    if (colon != std::string_view::npos) out += ":***";
    out += '@';
  }
  out += parts.hosts;
  if (parts.has_slash) {
    out += '/';
    out += parts.dbname;
  }
  if (!parts.query.empty()) {
    out += '?';
    std::vector<std::string> shown;
    for (const std::string& param : util::split(parts.query.substr(1), '&')) {
      std::size_t eq = param.find('=');
      std::string_view key = std::string_view(param).substr(0, eq);
      shown.push_back(eq != std::string::npos && is_secret_parameter(percent_decode_lenient(key))
                          ? std::string(key) + "=***"
                          : param);
    }
    out += util::join(shown, "&");
  }
  // Belt and braces: a secret in an odd place (the user name, a host).
  return redact_secrets(out);
}

std::string DatabaseUrl::with_dbname(const std::string& other_dbname) const {
  PgParts parts;
  if (kind != kPostgres || !split_pg(raw, parts)) {
    throw Error("with_dbname: not a PostgreSQL URL: " + redacted());
  }
  std::string out(parts.prefix);
  if (parts.has_userinfo) {
    out += parts.userinfo;
    out += '@';
  }
  out += parts.hosts;
  out += '/';
  out += percent_encode(other_dbname);
  out += parts.query;
  return out;
}

DatabaseUrl parse_database_url(const std::string& url, const std::string& base_dir) {
  remember_secrets_in(url);
  if (util::trim(url).empty()) {
    throw Error("no database URL: set database_url in migrate.yaml, or pass --url");
  }
  PgParts parts;
  if (split_pg(url, parts)) return parse_postgres(url, parts);
  if (util::starts_with(url, "sqlite:")) return parse_sqlite(url, base_dir);
  // (Worded so that it does not look like a URL holding a password.)
  std::string why =
      "expected sqlite:///PATH or postgresql://HOST[:PORT]/DBNAME, with USER[:PASSWORD]@ "
      "before HOST";
  if (url.find('+') != std::string::npos && url.find("://") != std::string::npos) {
    why += " (SQLAlchemy driver suffixes such as postgresql+psycopg2:// are not used here)";
  }
  bad_url(url, why);
}

}  // namespace migrate::config
