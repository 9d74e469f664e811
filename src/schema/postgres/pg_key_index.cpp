#include "schema/postgres/pg_key_index.h"

#include "schema/postgres/pg_quote.h"

namespace migrate::schema::postgres {

namespace {

// Reads pg_get_constraintdef's text of a key, clause by clause.
class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}

  bool done() const { return p_ == s_.size(); }
  bool take(const char* word) {
    const std::string w(word);
    if (s_.compare(p_, w.size(), w) != 0) return false;
    p_ += w.size();
    return true;
  }
  // A parenthesised list from the '(' at the cursor to its ')', quotes
  // ("ident", 'literal') skipped; "" when there is none.
  std::string parenthesised() {
    if (p_ >= s_.size() || s_[p_] != '(') return "";
    const std::size_t start = p_;
    int depth = 0;
    while (p_ < s_.size()) {
      const char c = s_[p_++];
      if (c == '"' || c == '\'') {
        while (p_ < s_.size()) {
          if (s_[p_++] != c) continue;
          if (p_ < s_.size() && s_[p_] == c) {
            ++p_;  // a doubled quote inside
            continue;
          }
          break;
        }
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return s_.substr(start, p_ - start);
      }
    }
    return "";
  }

 private:
  const std::string& s_;
  std::size_t p_ = 0;
};

}  // namespace

std::optional<KeyIndex> key_index(const QualifiedName& table, const Constraint& k) {
  if (k.kind != ConstraintKind::PrimaryKey && k.kind != ConstraintKind::Unique) return {};
  Reader r(k.definition);
  const char* kind = k.kind == ConstraintKind::PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
  if (!r.take(kind) || !r.take(" ")) return {};
  const bool nulls_not_distinct = r.take("NULLS NOT DISTINCT ");
  const std::string columns = r.parenthesised();
  if (columns.empty()) return {};
  std::string include, deferral;
  while (!r.done()) {
    if (r.take(" INCLUDE ")) {
      include = r.parenthesised();
      if (include.empty()) return {};
    } else if (r.take(" DEFERRABLE")) {
      deferral += " DEFERRABLE";
    } else if (r.take(" INITIALLY DEFERRED")) {
      deferral += " INITIALLY DEFERRED";
    } else {
      return {};  // e.g. NOT VALID, or a clause of a newer server
    }
  }
  // CREATE INDEX takes the same options in its own order.
  KeyIndex out;
  out.create_index = "CREATE UNIQUE INDEX " + ident(k.name) + " ON " + qualified(table) +
                     " USING btree " + columns;
  if (!include.empty()) out.create_index += " INCLUDE " + include;
  if (nulls_not_distinct) out.create_index += " NULLS NOT DISTINCT";
  out.attach = std::string(kind) + " USING INDEX " + ident(k.name) + deferral;
  return out;
}

}  // namespace migrate::schema::postgres
