#include "sql/postgres/scan.h"

#include <fmt/format.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <memory>

#include "sql/position.h"
#include "sql/postgres/position.h"

namespace migrate::sql::postgres {

namespace {

struct ScanResultFree {
  void operator()(PgQueryScanResult* r) const {
    pg_query_free_scan_result(*r);
    delete r;
  }
};
struct UnpackedFree {
  void operator()(PgQuery__ScanResult* r) const {
    pg_query__scan_result__free_unpacked(r, nullptr);
  }
};

// The server's NAMEDATALEN - 1: longer names are truncated (at a character
// boundary) by the lexer.
constexpr std::size_t kMaxNameBytes = 63;

void truncate_name(std::string& name) {
  if (name.size() <= kMaxNameBytes) return;
  std::size_t cut = kMaxNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  name.resize(cut);
}

std::string folded(std::string_view word) {
  std::string out(word);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  truncate_name(out);
  return out;
}

// The offset just past the quoted body that opens with `quote` at `pos`
// ('' or "" inside stand for one quote); sql.size() when it never closes.
std::size_t past_quoted(const std::string& sql, std::size_t pos, char quote) {
  for (++pos; pos < sql.size(); ++pos) {
    if (sql[pos] != quote) continue;
    if (pos + 1 < sql.size() && sql[pos + 1] == quote) {
      ++pos;
    } else {
      return pos + 1;
    }
  }
  return sql.size();
}

// The body of a quoted token [begin, end) that opens with `quote`, doubled
// quotes undone.
std::string unquoted(const std::string& sql, std::size_t begin, std::size_t end, char quote) {
  std::size_t open = sql.find(quote, begin);
  std::string out;
  for (std::size_t i = open + 1; i + 1 < end; ++i) {
    out += sql[i];
    if (sql[i] == quote) ++i;  // the second of a doubled quote
  }
  return out;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads `digits` hex digits of `s` at `i` into `cp`.
bool read_hex(const std::string& s, std::size_t i, int digits, unsigned long& cp) {
  if (i + static_cast<std::size_t>(digits) > s.size()) return false;
  cp = 0;
  for (int k = 0; k < digits; ++k) {
    char c = s[i + static_cast<std::size_t>(k)];
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0) return false;
    cp = cp * 16 + static_cast<unsigned long>(v);
  }
  return true;
}

// U&"..." escapes: `esc esc`, `esc XXXX`, `esc +XXXXXX` (surrogate pairs
// combined). An invalid escape is kept as written: the parser rejects it.
std::string decode_unicode_escapes(const std::string& body, char esc) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != esc) {
      out += body[i];
      continue;
    }
    unsigned long cp = 0;
    if (i + 1 < body.size() && body[i + 1] == esc) {
      out += esc;
      ++i;
    } else if (i + 1 < body.size() && body[i + 1] == '+' && read_hex(body, i + 2, 6, cp)) {
      append_utf8(out, cp);
      i += 7;
    } else if (read_hex(body, i + 1, 4, cp)) {
      i += 4;
      unsigned long low = 0;
      if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < body.size() && body[i + 1] == esc &&
          read_hex(body, i + 2, 4, low) && low >= 0xDC00 && low < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 5;
      }
      append_utf8(out, cp);
    } else {
      out += esc;
    }
  }
  return out;
}

// The escape character of a U& token: the string after a following
// UESCAPE keyword ('!' in U&"d!0061t" UESCAPE '!'), else a backslash.
char unicode_escape_char(const std::string& sql, const PgQuery__ScanResult& r, std::size_t i) {
  std::size_t n = i + 1;
  while (n < r.n_tokens && (r.tokens[n]->token == PG_QUERY__TOKEN__SQL_COMMENT ||
                            r.tokens[n]->token == PG_QUERY__TOKEN__C_COMMENT))
    ++n;
  if (n + 1 >= r.n_tokens || r.tokens[n]->token != PG_QUERY__TOKEN__UESCAPE ||
      r.tokens[n + 1]->token != PG_QUERY__TOKEN__SCONST)
    return '\\';
  std::string s = unquoted(sql, static_cast<std::size_t>(r.tokens[n + 1]->start),
                           static_cast<std::size_t>(r.tokens[n + 1]->end), '\'');
  return s.size() == 1 ? s[0] : '\\';
}

Keyword keyword_of(PgQuery__KeywordKind k) {
  switch (k) {
    case PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD:
      return Keyword::unreserved;
    case PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD:
      return Keyword::column_name;
    case PG_QUERY__KEYWORD_KIND__TYPE_FUNC_NAME_KEYWORD:
      return Keyword::type_func_name;
    case PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD:
      return Keyword::reserved;
    default:
      return Keyword::none;
  }
}

// The single characters scan.l returns as themselves ("self"); any other
// lone byte is "other".
bool is_self_char(int c) {
  static constexpr std::string_view kSelf = ",()[].;:+-*/%^<>=";
  return c > 0 && c < 128 && kSelf.find(static_cast<char>(c)) != std::string_view::npos;
}

Kind kind_of(const PgQuery__ScanToken& t) {
  switch (t.token) {
    case PG_QUERY__TOKEN__IDENT:
    case PG_QUERY__TOKEN__UIDENT:
      return Kind::identifier;
    case PG_QUERY__TOKEN__SCONST:
    case PG_QUERY__TOKEN__USCONST:
    case PG_QUERY__TOKEN__BCONST:
    case PG_QUERY__TOKEN__XCONST:
      return Kind::string;
    case PG_QUERY__TOKEN__ICONST:
    case PG_QUERY__TOKEN__FCONST:
      return Kind::number;
    case PG_QUERY__TOKEN__PARAM:
      return Kind::parameter;
    case PG_QUERY__TOKEN__SQL_COMMENT:
    case PG_QUERY__TOKEN__C_COMMENT:
      return Kind::comment;
    case PG_QUERY__TOKEN__Op:
    case PG_QUERY__TOKEN__TYPECAST:
    case PG_QUERY__TOKEN__DOT_DOT:
    case PG_QUERY__TOKEN__COLON_EQUALS:
    case PG_QUERY__TOKEN__EQUALS_GREATER:
    case PG_QUERY__TOKEN__LESS_EQUALS:
    case PG_QUERY__TOKEN__GREATER_EQUALS:
    case PG_QUERY__TOKEN__NOT_EQUALS:
      return Kind::op;
    default:
      break;
  }
  if (t.keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD) return Kind::keyword;
  return is_self_char(t.token) ? Kind::op : Kind::other;
}

Token token_of(const std::string& sql, const PgQuery__ScanResult& r, std::size_t i) {
  const PgQuery__ScanToken& t = *r.tokens[i];
  Token out;
  out.kind = kind_of(t);
  out.begin = static_cast<std::size_t>(t.start);
  out.end = static_cast<std::size_t>(t.end);
  // libpg_query ends a U&"..." or U&'...' token just after the U (or
  // before it): their extent is found here.
  if (t.token == PG_QUERY__TOKEN__UIDENT || t.token == PG_QUERY__TOKEN__USCONST)
    out.end = past_quoted(sql, out.begin + 2, t.token == PG_QUERY__TOKEN__UIDENT ? '"' : '\'');
  if (out.kind == Kind::keyword) {
    out.keyword = keyword_of(t.keyword_kind);
    out.value = folded(out.text(sql));
  } else if (out.kind == Kind::identifier) {
    out.quoted = sql[out.end - 1] == '"';
    if (!out.quoted) {
      out.value = folded(out.text(sql));
    } else {
      out.value = unquoted(sql, out.begin, out.end, '"');
      if (t.token == PG_QUERY__TOKEN__UIDENT)
        out.value = decode_unicode_escapes(out.value, unicode_escape_char(sql, r, i));
      truncate_name(out.value);
    }
  }
  return out;
}

}  // namespace

std::vector<Token> scan(const std::string& sql) {
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw ScanError(fmt::format("the SQL contains a NUL byte ({})", describe_offset(sql, nul)),
                    nul);
  std::unique_ptr<PgQueryScanResult, ScanResultFree> result(
      new PgQueryScanResult(pg_query_scan(sql.c_str())));
  if (const PgQueryError* err = result->error) {
    std::size_t at = byte_offset_of_cursor(sql, err->cursorpos);
    throw ScanError(fmt::format("{} ({})", err->message ? err->message : "lexer error",
                                describe_offset(sql, at)),
                    at);
  }
  std::unique_ptr<PgQuery__ScanResult, UnpackedFree> unpacked(pg_query__scan_result__unpack(
      nullptr, result->pbuf.len, reinterpret_cast<const uint8_t*>(result->pbuf.data)));
  if (!unpacked) throw Error("libpg_query returned a scan result that does not unpack");
  std::vector<Token> out;
  out.reserve(unpacked->n_tokens);
  for (std::size_t i = 0; i < unpacked->n_tokens; ++i) out.push_back(token_of(sql, *unpacked, i));
  return out;
}

}  // namespace migrate::sql::postgres
