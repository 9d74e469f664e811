#include "draw/erd.h"

#include <fmt/format.h>

#include <algorithm>

#include "draw/escape.h"

namespace migrate::draw {

namespace {

using schema::ConstraintKind;

// "users" in the default schema (PostgreSQL public, SQLite main), else
// "billing.invoices".
std::string display_name(const schema::QualifiedName& n) {
  if (n.schema.empty() || n.schema == "public" || n.schema == "main") return n.name;
  return n.schema + "." + n.name;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The marks of one column: PK, FK, UK (part of a key of that kind) and
// NOT NULL (for a column outside the primary key, which implies it).
struct Marks {
  bool pk = false, fk = false, uk = false, not_null = false;
};

Marks marks_of(const schema::Table& t, const schema::Column& c) {
  Marks m;
  for (const auto& k : t.constraints) {
    if (!has(k.columns, c.name)) continue;
    if (k.kind == ConstraintKind::PrimaryKey) m.pk = true;
    if (k.kind == ConstraintKind::ForeignKey) m.fk = true;
    if (k.kind == ConstraintKind::Unique) m.uk = true;
  }
  m.not_null = c.not_null && !m.pk;
  return m;
}

std::vector<std::string> key_words(const Marks& m) {
  std::vector<std::string> out;
  if (m.pk) out.push_back("PK");
  if (m.fk) out.push_back("FK");
  if (m.uk) out.push_back("UK");
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Whether every column of the foreign key is NOT NULL: then each row has a
// parent, else it may have none.
bool required(const schema::Table& t, const schema::Constraint& fk) {
  for (const auto& name : fk.columns) {
    const auto* c = t.column(name);
    if (!c || !c->not_null) return false;
  }
  return !fk.columns.empty();
}

// Whether the foreign key's columns are a primary key or unique key of the
// referencing table: then a parent has at most one such child.
bool unique_in_child(const schema::Table& t, const schema::Constraint& fk) {
  std::vector<std::string> cols = fk.columns;
  std::sort(cols.begin(), cols.end());
  for (const auto& k : t.constraints) {
    if (k.kind != ConstraintKind::PrimaryKey && k.kind != ConstraintKind::Unique) continue;
    std::vector<std::string> kc = k.columns;
    std::sort(kc.begin(), kc.end());
    if (kc == cols) return true;
  }
  return false;
}

std::string mermaid_entity(const schema::QualifiedName& n) {
  // Mermaid refuses `%` and `\` even in a quoted entity name.
  std::string name = display_name(n);
  for (char& c : name)
    if (c == '"' || c == '%' || c == '\\') c = '_';
  return "\"" + name + "\"";
}

}  // namespace

std::string erd_mermaid(const schema::Schema& s) {
  std::string out = "erDiagram\n";
  for (const auto& t : s.tables) {
    if (t.columns.empty()) {
      out += "  " + mermaid_entity(t.name) + " {\n  }\n";
      continue;
    }
    out += "  " + mermaid_entity(t.name) + " {\n";
    for (const auto& c : t.columns) {
      Marks m = marks_of(t, c);
      std::string line =
          "    " + mermaid_word(c.type.empty() ? "any" : c.type) + " " + mermaid_word(c.name);
      auto keys = key_words(m);
      if (!keys.empty()) line += " " + joined(keys, ", ");
      if (m.not_null) line += " \"NOT NULL\"";
      out += line + "\n";
    }
    out += "  }\n";
  }
  for (const auto& t : s.tables)
    for (const auto& k : t.constraints) {
      if (k.kind != ConstraintKind::ForeignKey) continue;
      std::string parent_card = required(t, k) ? "||" : "|o";
      std::string child_card = unique_in_child(t, k) ? "o|" : "o{";
      out += fmt::format("  {} {}--{} {} : \"{}\"\n", mermaid_entity(k.ref_table), parent_card,
                         child_card, mermaid_entity(t.name), mermaid_text(joined(k.columns, ", ")));
    }
  return out;
}

std::string erd_dot(const schema::Schema& s) {
  std::string out =
      "// The tables and foreign keys (migrate erd --format dot); render with: dot -Tsvg\n"
      "digraph schema {\n"
      "  rankdir=LR;\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [arrowsize=0.8, fontname=\"Helvetica\"];\n";
  // Each column row has a port at each end: "wN" on its name (where an
  // edge from a parent comes in), "eN" on its marks (where an edge to a
  // child leaves).
  auto port = [](const schema::Table& t, const std::string& column, char side) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      if (t.columns[i].name == column) return side + std::to_string(i) + ":" + side;
    return std::string("name");
  };
  for (const auto& t : s.tables) {
    std::string name = display_name(t.name);
    out += fmt::format(
        "  \"{}\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
        "CELLPADDING=\"3\">\n"
        "    <TR><TD PORT=\"name\" COLSPAN=\"3\" BGCOLOR=\"#cfe8ff\"><B>{}</B></TD></TR>\n",
        dot_quoted(name), html_text(name));
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const auto& c = t.columns[i];
      Marks m = marks_of(t, c);
      auto words = key_words(m);
      if (m.not_null) words.push_back("NOT NULL");
      out += fmt::format(
          "    <TR><TD PORT=\"w{}\" ALIGN=\"LEFT\">{}</TD><TD ALIGN=\"LEFT\">{}</TD>"
          "<TD PORT=\"e{}\" ALIGN=\"LEFT\">{}</TD></TR>\n",
          i, html_text(c.name), html_text(c.type), i, html_text(joined(words, ", ")));
    }
    out += "  </TABLE>>];\n";
  }
  for (const auto& t : s.tables)
    for (const auto& k : t.constraints) {
      if (k.kind != ConstraintKind::ForeignKey) continue;
      const schema::Table* parent = s.table(k.ref_table);
      std::string to_port =
          parent && !k.ref_columns.empty() ? port(*parent, k.ref_columns[0], 'e') : "name";
      std::string from_port = k.columns.empty() ? "name" : port(t, k.columns[0], 'w');
      // From the referenced column (left) to the referencing one (right),
      // in crow's foot notation: a bar (exactly one) or a circle and bar
      // (zero or one) at the parent, a crow's foot and circle (zero or
      // many) at the child.
      out += fmt::format(
          "  \"{}\":{} -> \"{}\":{} [dir=both, arrowtail={}, arrowhead={}, "
          "tooltip=\"{}\"];\n",
          dot_quoted(display_name(k.ref_table)), to_port, dot_quoted(display_name(t.name)),
          from_port, required(t, k) ? "tee" : "teeodot",
          unique_in_child(t, k) ? "teeodot" : "crowodot",
          dot_quoted(k.name.empty() ? joined(k.columns, ", ") : k.name));
    }
  out += "}\n";
  return out;
}

}  // namespace migrate::draw
