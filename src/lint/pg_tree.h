// libpg_query's JSON parse tree (pg_query_parse) as the PostgreSQL rules
// read it, and small readers over it shared by the rules: node kinds,
// names, type names, and whether an expression is constant-true.
//
// The tree is read once into one arena (pg_tree_reader.cpp): no allocation
// per node, strings pointing into libpg_query's own text. A general JSON
// document (nlohmann::json) cost a map node and a string per key: about a
// third of `migrate lint`'s time went to allocating and freeing them.
// Objects keep their members sorted by key (as nlohmann::json's std::map
// did), so walks and location_in() visit children in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::lint::pg {

struct Member;

// One JSON value in a Tree's arena.
struct Node {
  enum class Type : std::uint8_t { null, boolean, integer, number, string, array, object };
  Type type = Type::null;
  std::uint32_t size = 0;  // string bytes, array elements, object members
  union {
    bool boolean;
    long long integer;
    double number;
    const char* chars;
    const Node* elements;
    const Member* members;
  } u{};
};

struct Member {
  std::string_view key;
  Node value;
};

// a.compare(b) as a sign, the first byte compared inline: keys of one
// object mostly differ there.
inline int compare_keys(std::string_view a, std::string_view b) {
  if (!a.empty() && !b.empty() && a[0] != b[0])
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  return a.compare(b);
}

// A read-only view of one value; a missing value is null (never dangling:
// null views point at a static null node). Cheap to copy.
class Value {
 public:
  Value() : n_(&null_node()) {}
  explicit Value(const Node* n) : n_(n ? n : &null_node()) {}

  bool is_null() const { return n_->type == Node::Type::null; }
  bool is_boolean() const { return n_->type == Node::Type::boolean; }
  bool is_number_integer() const { return n_->type == Node::Type::integer; }
  bool is_string() const { return n_->type == Node::Type::string; }
  bool is_array() const { return n_->type == Node::Type::array; }
  bool is_object() const { return n_->type == Node::Type::object; }

  // Members of an object, elements of an array; 0 for null, 1 otherwise
  // (as nlohmann::json counts).
  std::size_t size() const {
    if (is_array() || is_object()) return n_->size;
    return is_null() ? 0 : 1;
  }
  bool empty() const { return size() == 0; }

  bool boolean() const { return is_boolean() && n_->u.boolean; }
  long long integer() const { return is_number_integer() ? n_->u.integer : 0; }
  std::string_view string() const {
    return is_string() ? std::string_view(n_->u.chars, n_->size) : std::string_view();
  }

  // Array element `i`; null out of range or for a non-array.
  Value operator[](std::size_t i) const {
    return is_array() && i < n_->size ? Value(n_->u.elements + i) : Value();
  }
  // Object member `key`; null when absent or for a non-object.
  Value operator[](std::string_view key) const;
  bool contains(std::string_view key) const;

  // Object members, in key order; empty for a non-object.
  const Member* members_begin() const { return is_object() ? n_->u.members : nullptr; }
  const Member* members_end() const { return is_object() ? n_->u.members + n_->size : nullptr; }

  // Range-for over an array's elements; nothing for a non-array.
  class iterator {
   public:
    explicit iterator(const Node* p) : p_(p) {}
    Value operator*() const { return Value(p_); }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return p_ != o.p_; }

   private:
    const Node* p_;
  };
  iterator begin() const { return iterator(is_array() ? n_->u.elements : nullptr); }
  iterator end() const { return iterator(is_array() ? n_->u.elements + n_->size : nullptr); }

 private:
  static const Node& null_node();
  const Node* n_;
};

// The parse tree of one piece of SQL; owns libpg_query's text and the arena
// the nodes live in. Move-only.
class Tree {
 public:
  Tree();
  Tree(Tree&&) noexcept;
  Tree& operator=(Tree&&) noexcept;
  ~Tree();
  // {"version": N, "stmts": [{"stmt": {"Kind": {...}}, "stmt_location": N,
  // "stmt_len": N}, ...]}: what sql::postgres::parse() gives.
  Value root() const;

  struct Impl;

 private:
  explicit Tree(std::unique_ptr<Impl> impl);
  friend Tree parse_tree(const std::string& sql);
  friend Tree read_tree(const std::string& json);
  std::unique_ptr<Impl> impl_;
};

// PostgreSQL's parse tree of `sql` (libpg_query). Throws
// sql::postgres::ParseError where the parser rejects it, as
// sql::postgres::parse() does.
Tree parse_tree(const std::string& sql);
// `json` (libpg_query's output, or any JSON document) up to its first NUL
// byte read into a Tree; throws migrate::Error when it is not JSON.
Tree read_tree(const std::string& json);

// {"DeleteStmt": {...}} -> "DeleteStmt"; "" for anything else.
std::string_view kind_of(Value node);
// {"DeleteStmt": {...}} -> {...}; null for anything else.
Value body_of(Value node);
// node[key], or null when absent.
inline Value field(Value node, const char* key) { return node[std::string_view(key)]; }
std::string text(Value node, const char* key);  // string field or ""
bool flag(Value node, const char* key);         // bool field or false

// A RangeVar's table name without schema ("accounts"): how the rules key
// tables (a name in two schemas is rare in one migration run).
std::string table_of(Value range_var);
// The last name of a [{"String": {"sval": "s"}}, ...] list: "i" for s.i.
std::string last_name(Value names);
// A TypeName's type, without pg_catalog: "int4", "varchar", "serial", "text".
std::string type_of(Value type_name);
// A TypeName's integer modifiers: varchar(20) -> {20}; none -> {}.
std::vector<long long> typmods_of(Value type_name);

// Whether `expr` is always true: true, 1=1, 'a'='a', NOT false, x OR true,
// true AND 1=1, (true). A column, a parameter or a function is never
// constant.
bool is_constant_true(Value expr);

// The byte offset of the first "location" in `node` (depth first), or
// `fallback`.
std::size_t location_in(Value node, std::size_t fallback);

// Calls fn(node) for every object in the tree below (and including) `node`.
template <typename Fn>
void walk(Value node, Fn&& fn) {
  if (node.is_object()) {
    fn(node);
    for (const Member* m = node.members_begin(); m != node.members_end(); ++m)
      walk(Value(&m->value), fn);
  } else if (node.is_array()) {
    for (Value v : node) walk(v, fn);
  }
}

}  // namespace migrate::lint::pg
