#include "sql/sqlite/tokenizer.h"

#include <sqlite3.h>

#include <array>

namespace migrate::sql::sqlite {

namespace {

// Character classes: what the first byte of a token says it is. The table
// below is sqlite3GetToken's aiClass (SQLite 3.40, ASCII), built from the
// rules rather than copied as numbers so that it can be checked by eye.
enum Class : unsigned char {
  kX,         // x or X: a blob literal x'..' or a word
  kWordChar,  // a letter, _ or a byte >= 0x80: a word
  kDigit,
  kDollar,    // $name
  kVarAlpha,  // @name, #name, :name
  kVarNum,    // ?, ?1
  kSpace,     // ' ', \t, \n, \f, \r (not \v: SQLite starts no token with it)
  kQuote,     // ' " `
  kQuote2,    // [
  kPipe,
  kMinus,
  kLt,
  kGt,
  kEq,
  kBang,
  kSlash,
  kLp,
  kRp,
  kSemi,
  kPlus,
  kStar,
  kPercent,
  kComma,
  kAnd,
  kTilde,
  kDot,
  kIllegal,  // every other byte: control bytes (\v too), \ ] ^ { } DEL
};

constexpr std::array<Class, 256> make_classes() {
  std::array<Class, 256> c{};
  for (auto& x : c) x = kIllegal;
  for (int b = 0x80; b < 256; ++b) c[b] = kWordChar;
  for (int b = 'a'; b <= 'z'; ++b) c[b] = c[b - 'a' + 'A'] = kWordChar;
  c['x'] = c['X'] = kX;
  c['_'] = kWordChar;
  for (int b = '0'; b <= '9'; ++b) c[b] = kDigit;
  c['$'] = kDollar;
  c['@'] = c['#'] = c[':'] = kVarAlpha;
  c['?'] = kVarNum;
  c[' '] = c['\t'] = c['\n'] = c['\f'] = c['\r'] = kSpace;
  c['\''] = c['"'] = c['`'] = kQuote;
  c['['] = kQuote2;
  c['|'] = kPipe;
  c['-'] = kMinus;
  c['<'] = kLt;
  c['>'] = kGt;
  c['='] = kEq;
  c['!'] = kBang;
  c['/'] = kSlash;
  c['('] = kLp;
  c[')'] = kRp;
  c[';'] = kSemi;
  c['+'] = kPlus;
  c['*'] = kStar;
  c['%'] = kPercent;
  c[','] = kComma;
  c['&'] = kAnd;
  c['~'] = kTilde;
  c['.'] = kDot;
  return c;
}

constexpr std::array<Class, 256> kClass = make_classes();

// sqlite3Isspace: unlike the class table, it includes \v, so a space token
// that has started goes on over a \v.
bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_xdigit(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// IdChar: what may continue a word (and a variable's name).
bool is_id_char(unsigned char c) {
  return c >= 0x80 || is_digit(c) || c == '_' || c == '$' ||
         ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// The length of the token at z[0] (z is NUL-terminated, z[0] != 0) and
// its kind: sqlite3GetToken, case by case.
std::size_t read_token(const unsigned char* z, Kind& kind) {
  std::size_t i = 0;
  unsigned char c = 0;
  switch (kClass[z[0]]) {
    case kSpace:
      for (i = 1; is_space(z[i]); ++i) {
      }
      kind = Kind::space;
      return i;
    case kMinus:
      if (z[1] == '-') {
        for (i = 2; z[i] != 0 && z[i] != '\n'; ++i) {
        }
        kind = Kind::comment;
        return i;
      }
      kind = Kind::punct;
      if (z[1] == '>') return z[2] == '>' ? 3 : 2;  // -> and ->>
      return 1;
    case kSlash:
      if (z[1] != '*' || z[2] == 0) {
        kind = Kind::punct;
        return 1;
      }
      // To the first */ after the opening /*, or to the end.
      for (i = 3, c = z[2]; (c != '*' || z[i] != '/') && (c = z[i]) != 0; ++i) {
      }
      kind = Kind::comment;
      return c ? i + 1 : i;
    case kLp:
    case kRp:
    case kSemi:
    case kPlus:
    case kStar:
    case kPercent:
    case kComma:
    case kAnd:
    case kTilde:
      kind = Kind::punct;
      return 1;
    case kEq:
      kind = Kind::punct;
      return z[1] == '=' ? 2 : 1;
    case kLt:
      kind = Kind::punct;
      return z[1] == '=' || z[1] == '>' || z[1] == '<' ? 2 : 1;
    case kGt:
      kind = Kind::punct;
      return z[1] == '=' || z[1] == '>' ? 2 : 1;
    case kBang:
      kind = z[1] == '=' ? Kind::punct : Kind::illegal;
      return z[1] == '=' ? 2 : 1;
    case kPipe:
      kind = Kind::punct;
      return z[1] == '|' ? 2 : 1;
    case kQuote: {
      // A doubled delimiter inside stands for one.
      const unsigned char delim = z[0];
      for (i = 1; (c = z[i]) != 0; ++i) {
        if (c != delim) continue;
        if (z[i + 1] != delim) break;
        ++i;
      }
      if (c == 0) {
        kind = Kind::illegal;
        return i;
      }
      kind = delim == '\'' ? Kind::string : Kind::quoted;
      return i + 1;
    }
    case kQuote2:
      // [name] has no escapes: it ends at the first ].
      for (i = 1, c = z[0]; c != ']' && (c = z[i]) != 0; ++i) {
      }
      kind = c == ']' ? Kind::quoted : Kind::illegal;
      return i;
    case kDot:
      if (!is_digit(z[1])) {
        kind = Kind::punct;
        return 1;
      }
      [[fallthrough]];  // .5: a number
    case kDigit:
      kind = Kind::number;
      if (z[0] == '0' && (z[1] == 'x' || z[1] == 'X') && is_xdigit(z[2])) {
        for (i = 3; is_xdigit(z[i]); ++i) {
        }
        return i;
      }
      for (i = 0; is_digit(z[i]); ++i) {
      }
      if (z[i] == '.') {
        for (++i; is_digit(z[i]); ++i) {
        }
      }
      if ((z[i] == 'e' || z[i] == 'E') &&
          (is_digit(z[i + 1]) || ((z[i + 1] == '+' || z[i + 1] == '-') && is_digit(z[i + 2])))) {
        for (i += 2; is_digit(z[i]); ++i) {
        }
      }
      // 1abc: a number running into a word is one illegal token.
      while (is_id_char(z[i])) {
        kind = Kind::illegal;
        ++i;
      }
      return i;
    case kVarNum:
      kind = Kind::variable;
      for (i = 1; is_digit(z[i]); ++i) {
      }
      return i;
    case kDollar:
    case kVarAlpha: {
      // $name, :name, @name, #name; also Tcl's $a::b and $a(index).
      int n = 0;
      kind = Kind::variable;
      for (i = 1; (c = z[i]) != 0; ++i) {
        if (is_id_char(c)) {
          ++n;
        } else if (c == '(' && n > 0) {
          do {
            ++i;
          } while ((c = z[i]) != 0 && !is_space(c) && c != ')');
          if (c == ')') {
            ++i;
          } else {
            kind = Kind::illegal;
          }
          break;
        } else if (c == ':' && z[i + 1] == ':') {
          ++i;
        } else {
          break;
        }
      }
      if (n == 0) kind = Kind::illegal;
      return i;
    }
    case kX:
      if (z[1] == '\'') {
        // x'..': an even number of hex digits, else illegal up to the quote.
        kind = Kind::string;
        for (i = 2; is_xdigit(z[i]); ++i) {
        }
        if (z[i] != '\'' || i % 2 != 0) {
          kind = Kind::illegal;
          while (z[i] != 0 && z[i] != '\'') ++i;
        }
        return z[i] != 0 ? i + 1 : i;
      }
      [[fallthrough]];  // no keyword starts with x: a word
    case kWordChar:
      for (i = 1; is_id_char(z[i]); ++i) {
      }
      kind = Kind::word;
      return i;
    case kIllegal:
      break;
  }
  kind = Kind::illegal;
  return 1;
}

}  // namespace

RawToken token_at(const std::string& sql, std::size_t pos) {
  const auto* z = reinterpret_cast<const unsigned char*>(sql.c_str()) + pos;
  if (*z == 0) return {Kind::illegal, pos, pos + 1};  // a NUL inside the text
  Kind kind = Kind::illegal;
  std::size_t n = read_token(z, kind);
  return {kind, pos, pos + n};
}

std::size_t skip_space(const std::string& sql, std::size_t pos) {
  while (pos < sql.size()) {
    RawToken t = token_at(sql, pos);
    if (t.kind != Kind::space && t.kind != Kind::comment) return pos;
    pos = t.end;
  }
  return sql.size();
}

std::string_view unterminated(const std::string& sql, const RawToken& t) {
  const std::size_t n = t.end - t.begin;
  if (t.kind == Kind::comment) {
    bool block = sql.compare(t.begin, 2, "/*") == 0;
    bool closed = n >= 4 && sql.compare(t.end - 2, 2, "*/") == 0;
    return block && !closed ? "/* comment" : "";
  }
  if (t.kind != Kind::illegal) return "";
  switch (sql[t.begin]) {
    case '\'':
      return "string literal";
    case '"':
    case '`':
    case '[':
      return "quoted identifier";
    case 'x':
    case 'X':
      // x'..' never closed (a closed but malformed one ends in its quote).
      if (n >= 2 && sql[t.begin + 1] == '\'' && (n < 3 || sql[t.end - 1] != '\''))
        return "string literal";
      return "";
    case '$':
    case ':':
    case '@':
    case '#':
      // A Tcl-style $name( whose ) never came: the token runs on over what
      // follows up to a space, a semicolon included, as SQLite reads it.
      if (std::string_view(sql).substr(t.begin, n).find('(') != std::string_view::npos)
        return "parameter $name(";
      return "";
    default:
      return "";
  }
}

bool is_keyword(std::string_view word) {
  return sqlite3_keyword_check(word.data(), static_cast<int>(word.size())) != 0;
}

}  // namespace migrate::sql::sqlite
