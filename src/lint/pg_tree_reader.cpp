// libpg_query's JSON text -> a Tree (pg_tree.h): one pass, iterative (a
// deeply nested expression must not exhaust the stack), nodes and decoded
// strings in one arena, strings without escapes pointing into the text.
#include <pg_query.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lint/pg_tree.h"
#include "sql/postgres/owned_parse.h"
#include "sql/postgres/parse.h"
#include "util/error.h"

namespace migrate::lint::pg {

namespace {

// Memory handed out in blocks, freed all at once with the tree.
class Arena {
 public:
  template <typename T>
  T* make(std::size_t n) {
    return static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
  }
  char* chars(std::size_t n) { return static_cast<char*>(allocate(n, 1)); }

 private:
  void* allocate(std::size_t bytes, std::size_t align) {
    std::size_t at = (used_ + align - 1) & ~(align - 1);
    if (blocks_.empty() || at + bytes > capacity_) {
      capacity_ = std::max(bytes, next_);
      next_ = std::min<std::size_t>(next_ * 2, 1 << 20);
      // operator new[] aligns for any fundamental type.
      blocks_.emplace_back(new char[capacity_]);
      at = 0;
    }
    used_ = at + bytes;
    return blocks_.back().get() + at;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = 0, capacity_ = 0, next_ = 16 * 1024;
};

[[noreturn]] void not_json() { throw Error("libpg_query returned a parse tree that is not JSON"); }

class Reader {
 public:
  Reader(const char* begin, const char* end, Arena& arena) : p_(begin), end_(end), arena_(arena) {}

  Node document() {
    // A byte order mark, as nlohmann::json skips it.
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
    Node root;
    enum class Next { value, key, after } next = Next::value;
    for (;;) {
      skip_blanks();
      if (next == Next::key) {
        if (peek() != '"') not_json();
        frames_.back().key = string_view_of(read_string());
        skip_blanks();
        if (peek() != ':') not_json();
        ++p_;
        next = Next::value;
        continue;
      }
      if (next == Next::value) {
        const char c = peek();
        if (c == '{' || c == '[') {
          ++p_;
          const bool object = c == '{';
          frames_.push_back({object, object ? members_.size() : elements_.size(), {}});
          skip_blanks();
          if (peek() == (object ? '}' : ']')) {
            ++p_;
            if (close(root)) break;
            next = Next::after;
          } else {
            next = object ? Next::key : Next::value;
          }
          continue;
        }
        if (emit(scalar(), root)) break;
        next = Next::after;
        continue;
      }
      // After a value inside an array or object.
      const char c = peek();
      const bool object = frames_.back().object;
      if (c == ',') {
        ++p_;
        next = object ? Next::key : Next::value;
      } else if (c == (object ? '}' : ']')) {
        ++p_;
        if (close(root)) break;
      } else {
        not_json();
      }
    }
    skip_blanks();
    if (p_ != end_) not_json();
    return root;
  }

 private:
  struct Frame {
    bool object;
    std::size_t base;  // its first member or element in members_ / elements_
    std::string_view key;
  };

  char peek() const { return p_ < end_ ? *p_ : '\0'; }

  void skip_blanks() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }

  static std::string_view string_view_of(const Node& n) { return {n.u.chars, n.size}; }

  // Hands a finished value to the container being read; true when it is
  // the document itself.
  bool emit(const Node& n, Node& root) {
    if (frames_.empty()) {
      root = n;
      return true;
    }
    if (frames_.back().object)
      members_.push_back({frames_.back().key, n});
    else
      elements_.push_back(n);
    return false;
  }

  // Ends the innermost array or object: its items move to the arena.
  bool close(Node& root) {
    const Frame f = frames_.back();
    frames_.pop_back();
    Node n;
    if (f.object) {
      auto first = members_.begin() + static_cast<std::ptrdiff_t>(f.base);
      // Key order, as nlohmann::json's std::map; of equal keys the last
      // read wins, as nlohmann::json's parser overwrites. Insertion sort:
      // objects have a few members (and a JSON that is not libpg_query's
      // with thousands is only a test's).
      auto out = first;
      for (auto it = first; it != members_.end(); ++it) {
        const Member m = *it;
        auto at = out;
        int c = 1;
        while (at != first && (c = compare_keys((at - 1)->key, m.key)) > 0) --at;
        if (at != first && c == 0) {
          *(at - 1) = m;  // a duplicate key: the later value
          continue;
        }
        std::move_backward(at, out, out + 1);
        *at = m;
        ++out;
      }
      const std::size_t count = static_cast<std::size_t>(out - first);
      Member* dst = arena_.make<Member>(count);
      std::copy(first, out, dst);
      members_.resize(f.base);
      n.type = Node::Type::object;
      n.size = static_cast<std::uint32_t>(count);
      n.u.members = dst;
    } else {
      const std::size_t count = elements_.size() - f.base;
      Node* dst = arena_.make<Node>(count);
      std::copy(elements_.begin() + static_cast<std::ptrdiff_t>(f.base), elements_.end(), dst);
      elements_.resize(f.base);
      n.type = Node::Type::array;
      n.size = static_cast<std::uint32_t>(count);
      n.u.elements = dst;
    }
    return emit(n, root);
  }

  Node scalar() {
    Node n;
    switch (peek()) {
      case '"':
        return read_string();
      case 't':
        literal("true");
        n.type = Node::Type::boolean;
        n.u.boolean = true;
        return n;
      case 'f':
        literal("false");
        n.type = Node::Type::boolean;
        n.u.boolean = false;
        return n;
      case 'n':
        literal("null");
        return n;
      default:
        return number();
    }
  }

  void literal(const char* word) {
    const std::size_t len = std::strlen(word);
    if (static_cast<std::size_t>(end_ - p_) < len || std::memcmp(p_, word, len) != 0) not_json();
    p_ += len;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?: an integer when it has
  // no fraction or exponent and fits 64 bits, else a number (libpg_query
  // writes integers of 32 and 64 bits).
  Node number() {
    const char* start = p_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++p_;
    }
    auto digits = [&] {
      const char* d = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      return static_cast<std::size_t>(p_ - d);
    };
    const char* int_start = p_;
    const std::size_t int_digits = digits();
    if (int_digits == 0 || (int_digits > 1 && *int_start == '0')) not_json();
    bool integral = true;
    if (peek() == '.') {
      ++p_;
      if (digits() == 0) not_json();
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++p_;
      if (peek() == '+' || peek() == '-') ++p_;
      if (digits() == 0) not_json();
      integral = false;
    }
    Node n;
    if (integral) {
      unsigned long long v = 0;
      bool overflow = false;
      for (const char* d = int_start; d < p_; ++d) {
        const unsigned digit = static_cast<unsigned>(*d - '0');
        if (v > (~0ULL - digit) / 10) overflow = true;
        v = v * 10 + digit;
      }
      // As nlohmann::json: up to 2^64-1 an integer (read as long long, as
      // its get<long long>() does), beyond a number.
      if (!overflow && (!negative || v <= (1ULL << 63))) {
        n.type = Node::Type::integer;
        n.u.integer = negative ? static_cast<long long>(0 - v) : static_cast<long long>(v);
        return n;
      }
    }
    n.type = Node::Type::number;
    n.u.number = std::strtod(std::string(start, p_).c_str(), nullptr);
    return n;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  unsigned read_hex4() {
    if (end_ - p_ < 4) not_json();
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex(p_[i]);
      if (h < 0) not_json();
      v = v * 16 + static_cast<unsigned>(h);
    }
    p_ += 4;
    return v;
  }

  // A string at p_ ('"'): a view of the text when it has no escape, else
  // decoded into the arena.
  Node read_string() {
    ++p_;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\') {
      if (static_cast<unsigned char>(*p_) < 0x20) not_json();
      ++p_;
    }
    if (p_ == end_) not_json();
    Node n;
    n.type = Node::Type::string;
    if (*p_ == '"') {
      n.u.chars = start;
      n.size = static_cast<std::uint32_t>(p_ - start);
      ++p_;
      return n;
    }
    // Escapes: the decoded text is no longer than the rest of the string.
    const char* close = p_;
    while (close < end_ && *close != '"') close += *close == '\\' ? 2 : 1;
    if (close >= end_) not_json();
    char* out = arena_.chars(static_cast<std::size_t>(close - start));
    char* o = out;
    o = std::copy(start, p_, o);
    while (*p_ != '"') {
      const char c = *p_++;
      if (static_cast<unsigned char>(c) < 0x20) not_json();
      if (c != '\\') {
        *o++ = c;
        continue;
      }
      const char e = *p_++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          *o++ = e;
          break;
        case 'b':
          *o++ = '\b';
          break;
        case 'f':
          *o++ = '\f';
          break;
        case 'n':
          *o++ = '\n';
          break;
        case 'r':
          *o++ = '\r';
          break;
        case 't':
          *o++ = '\t';
          break;
        case 'u': {
          unsigned cp = read_hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) not_json();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') not_json();
            p_ += 2;
            const unsigned low = read_hex4();
            if (low < 0xDC00 || low > 0xDFFF) not_json();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          // At most as many bytes as the escape took (6 or 12).
          if (cp < 0x80) {
            *o++ = static_cast<char>(cp);
          } else if (cp < 0x800) {
            *o++ = static_cast<char>(0xC0 | (cp >> 6));
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            *o++ = static_cast<char>(0xE0 | (cp >> 12));
            *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            *o++ = static_cast<char>(0xF0 | (cp >> 18));
            *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          not_json();
      }
    }
    ++p_;
    n.u.chars = out;
    n.size = static_cast<std::uint32_t>(o - out);
    return n;
  }

  const char* p_;
  const char* end_;
  Arena& arena_;
  std::vector<Frame> frames_;
  std::vector<Member> members_;  // of the open objects, innermost last
  std::vector<Node> elements_;   // of the open arrays, innermost last
};

}  // namespace

struct Tree::Impl {
  // parse_tree()'s result; Impl is allocated before the parse.
  sql::postgres::OwnedParse result;
  std::string text;  // read_tree()
  Arena arena;
  Node root;
};

Tree::Tree() = default;
Tree::Tree(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tree::Tree(Tree&&) noexcept = default;
Tree& Tree::operator=(Tree&&) noexcept = default;
Tree::~Tree() = default;

Value Tree::root() const { return impl_ ? Value(&impl_->root) : Value(); }

Tree parse_tree(const std::string& sql) {
  sql::postgres::check_parser_input(sql);
  auto impl = std::make_unique<Tree::Impl>();
  impl->result.r = pg_query_parse(sql.c_str());
  if (const PgQueryError* err = impl->result.r.error)
    throw sql::postgres::ParseError::at_cursor(err->message, err->cursorpos, sql);
  const char* json = impl->result.r.parse_tree ? impl->result.r.parse_tree : "{}";
  impl->root = Reader(json, json + std::strlen(json), impl->arena).document();
  if (impl->root.type != Node::Type::object) not_json();
  return Tree(std::move(impl));
}

Tree read_tree(const std::string& json) {
  auto impl = std::make_unique<Tree::Impl>();
  // Up to the first NUL byte, as from a C string (libpg_query's text; and
  // nlohmann::json reads a NUL as the end of its input).
  impl->text = json.substr(0, json.find('\0'));
  const char* p = impl->text.data();
  impl->root = Reader(p, p + impl->text.size(), impl->arena).document();
  return Tree(std::move(impl));
}

}  // namespace migrate::lint::pg
