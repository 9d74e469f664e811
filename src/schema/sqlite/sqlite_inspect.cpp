// Inspection of an SQLite database: the pragmas (table_xinfo, index_list,
// index_xinfo, foreign_key_list) for everything they report, the stored
// CREATE TABLE text for what they do not (CHECK constraints, collations,
// generated expressions, AUTOINCREMENT, DEFERRABLE, WITHOUT ROWID, STRICT),
// and the stored text of indexes, views and triggers as their definitions.
// Expressions SQLite keeps only as written are normalised (sql/sqlite/text.h),
// so two spellings compare equal when they differ in whitespace, comments,
// keyword case or identifier quoting only.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "db/sqlite/sqlite_connection.h"
#include "schema/sqlite/sqlite_create_table.h"
#include "schema/sqlite/sqlite_schema.h"
#include "sql/sqlite/text.h"

namespace migrate::schema::sqlite {

// SQLite's tokenizer and text operations (sql/sqlite/).
using sql::sqlite::fold;
using sql::sqlite::normalize;
using sql::sqlite::quote_ident;
using sql::sqlite::Token;
using sql::sqlite::tokenize;

namespace {

using db::sqlite::Connection;
using db::sqlite::Stmt;

struct Row {
  std::vector<std::string> text;
  std::vector<bool> null;
};

std::vector<Row> query(Connection& conn, const std::string& sql, const std::string& arg = "") {
  Stmt stmt = conn.prepare(sql);
  if (!arg.empty())
    conn.check(sqlite3_bind_text(stmt.get(), 1, arg.data(), static_cast<int>(arg.size()),
                                 SQLITE_TRANSIENT),
               sql);
  std::vector<Row> rows;
  for (;;) {
    int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) conn.check(rc, sql);
    Row r;
    int n = sqlite3_column_count(stmt.get());
    for (int c = 0; c < n; ++c) {
      const unsigned char* v = sqlite3_column_text(stmt.get(), c);
      r.null.push_back(v == nullptr);
      r.text.emplace_back(v ? reinterpret_cast<const char*>(v) : "");
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote_ident(fold(n));
  return out;
}

bool excluded(const std::string& name, const InspectOptions& options) {
  if (fold(name).rfind("sqlite_", 0) == 0) return true;
  for (const auto& e : options.exclude_tables)
    if (fold(e) == fold(name)) return true;
  return false;
}

std::string action_clause(const std::string& on, const std::string& action) {
  std::string a = fold(action);
  if (a.empty() || a == "no action") return "";
  for (char& c : a)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return " ON " + on + " " + a;
}

void add_foreign_keys(Connection& conn, const ParsedTable& parsed, Table& table) {
  std::map<int, Constraint> by_id;
  for (const Row& r : query(conn,
                            "SELECT id, seq, \"table\", \"from\", \"to\", on_update, "
                            "on_delete, match FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                            table.name.name)) {
    Constraint& c = by_id[std::stoi(r.text[0])];
    c.kind = ConstraintKind::ForeignKey;
    c.ref_table = {"main", r.text[2]};
    c.columns.push_back(r.text[3]);
    if (!r.null[4]) c.ref_columns.push_back(r.text[4]);
    // on_update/on_delete/match are the same on every row of one key.
    c.definition = action_clause("UPDATE", r.text[5]) + action_clause("DELETE", r.text[6]);
    if (fold(r.text[7]) != "none" && !r.text[7].empty()) c.definition += " MATCH " + r.text[7];
  }
  for (auto& [id, c] : by_id) {
    (void)id;
    std::string key;
    for (const auto& col : c.columns) key += fold(col) + ",";
    for (const auto& p : parsed.foreign_keys) {
      std::string pkey;
      for (const auto& col : p.columns) pkey += fold(col) + ",";
      if (pkey == key && fold(p.ref_table) == fold(c.ref_table.name)) {
        c.name = p.name;
        c.deferrable = p.deferrable;
        c.initially_deferred = p.initially_deferred;
      }
    }
    std::string def = "FOREIGN KEY (" + name_list(c.columns) + ") REFERENCES " +
                      quote_ident(fold(c.ref_table.name));
    if (!c.ref_columns.empty()) def += " (" + name_list(c.ref_columns) + ")";
    def += c.definition;
    if (c.deferrable)
      def += c.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
    if (!c.name.empty()) {
      std::string head = "CONSTRAINT ";
      head += quote_ident(fold(c.name));
      head += ' ';
      def.insert(0, head);
    }
    c.definition = def;
    table.constraints.push_back(c);
  }
}

// The columns of `t` (other than `self`) that `expr` names, in the table's
// order. SQLite records no dependencies: the names among the expression's
// tokens (strings and comments are not names) are what it uses.
std::vector<std::string> columns_named(const std::string& expr, const Table& t,
                                       const std::string& self = "") {
  std::vector<std::string> names;
  for (const Token& tok : tokenize(expr))
    if (tok.is_name()) names.push_back(fold(tok.value()));
  std::vector<std::string> out;
  for (const auto& c : t.columns)
    if (fold(c.name) != fold(self) &&
        std::find(names.begin(), names.end(), fold(c.name)) != names.end())
      out.push_back(c.name);
  return out;
}

std::vector<std::string> index_key_columns(Connection& conn, const std::string& index) {
  std::vector<std::string> cols;
  for (const Row& r : query(conn,
                            "SELECT cid, name FROM pragma_index_xinfo(?1) WHERE key = 1 "
                            "ORDER BY seqno",
                            index))
    cols.push_back(r.null[1] ? "" : r.text[1]);  // "" = an expression
  return cols;
}

// The predicate of a partial index: the text after the top-level WHERE.
std::string index_where(const std::string& sql) {
  auto t = tokenize(sql);
  int depth = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].is("(")) ++depth;
    if (t[i].is(")")) --depth;
    if (depth == 0 && t[i].is_word("where")) return normalize(t, i + 1, t.size());
  }
  return "";
}

void add_indexes(Connection& conn, Table& table,
                 const std::map<std::string, std::string>& index_sql) {
  for (const Row& r : query(conn,
                            "SELECT name, \"unique\", origin FROM pragma_index_list(?1) "
                            "ORDER BY name",
                            table.name.name)) {
    const std::string& name = r.text[0];
    bool unique = r.text[1] == "1";
    const std::string& origin = r.text[2];
    if (origin == "u") {
      Constraint c;
      c.kind = ConstraintKind::Unique;
      c.columns = index_key_columns(conn, name);
      c.definition = "UNIQUE (" + name_list(c.columns) + ")";
      table.constraints.push_back(c);
    } else if (origin == "c") {
      Index ix;
      ix.name = name;
      ix.table = table.name;
      ix.unique = unique;
      ix.columns = index_key_columns(conn, name);
      auto it = index_sql.find(name);
      ix.definition = it == index_sql.end() ? "" : it->second;
      ix.where = index_where(ix.definition);
      table.indexes.push_back(ix);
    }
    // origin "pk": the primary key's own index, reported by table_xinfo.
  }
}

Table inspect_table(Connection& conn, const std::string& name, const std::string& sql,
                    const std::map<std::string, std::string>& index_sql) {
  Table table;
  table.name = {"main", name};
  table.sql = sql;
  ParsedTable parsed = parse_create_table(sql);
  table.without_rowid = parsed.without_rowid;
  table.strict = parsed.strict;

  std::vector<std::pair<int, std::string>> pk;
  for (const Row& r : query(conn,
                            "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                            "FROM pragma_table_xinfo(?1) ORDER BY cid",
                            name)) {
    Column c;
    c.name = r.text[0];
    c.type = normalize(r.text[1]);
    c.not_null = r.text[2] == "1";
    if (!r.null[3]) c.default_expr = normalize(r.text[3]);
    if (int k = std::stoi(r.text[4]); k > 0) pk.emplace_back(k, c.name);
    int hidden = std::stoi(r.text[5]);
    for (const auto& p : parsed.columns) {
      if (fold(p.name) != fold(c.name)) continue;
      c.collation = fold(p.collation) == "binary" ? "" : fold(p.collation);
      if (!p.generated.empty()) c.generated = normalize(p.generated);
    }
    c.generated_virtual = hidden == 2;
    table.columns.push_back(c);
  }
  for (auto& c : table.columns)
    if (!c.generated.empty()) c.uses.columns = columns_named(c.generated, table, c.name);
  if (!pk.empty()) {
    std::sort(pk.begin(), pk.end());
    Constraint c;
    c.kind = ConstraintKind::PrimaryKey;
    c.name = parsed.primary_key_name;
    for (const auto& p : pk) c.columns.push_back(p.second);
    c.definition = "PRIMARY KEY (" + name_list(c.columns) + ")";
    if (parsed.autoincrement) c.definition += " AUTOINCREMENT";
    table.constraints.push_back(c);
  }
  for (const auto& chk : parsed.checks) {
    Constraint c;
    c.kind = ConstraintKind::Check;
    c.name = chk.name;
    if (!chk.column.empty()) c.columns = {chk.column};
    c.definition = "CHECK (" + normalize(chk.expr) + ")";
    c.uses.columns = columns_named(chk.expr, table);
    if (!c.name.empty())
      c.definition = "CONSTRAINT " + quote_ident(fold(c.name)) + " " + c.definition;
    table.constraints.push_back(c);
  }
  add_foreign_keys(conn, parsed, table);
  add_indexes(conn, table, index_sql);
  for (auto& c : table.constraints)
    if (c.kind != ConstraintKind::Check) c.uses.columns = c.columns;
  std::stable_sort(table.constraints.begin(), table.constraints.end(),
                   [](const Constraint& a, const Constraint& b) {
                     if (a.kind != b.kind) return a.kind < b.kind;
                     return a.definition < b.definition;
                   });
  return table;
}

// Tables and views whose names occur in `sql` (other than `self`).
std::vector<QualifiedName> referenced(const std::string& sql, const std::string& self,
                                      const std::map<std::string, std::string>& relations) {
  std::vector<QualifiedName> out;
  for (const Token& t : tokenize(sql)) {
    if (!t.is_name()) continue;
    auto it = relations.find(fold(t.value()));
    if (it == relations.end() || fold(it->second) == fold(self)) continue;
    QualifiedName q{"main", it->second};
    if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

Schema inspect_sqlite(const std::string& path, const std::string& describe,
                      const InspectOptions& options) {
  Schema schema;
  schema.dialect = config::DatabaseUrl::kSqlite;
  if (path != ":memory:" && !file_exists(path)) return schema;
  Connection conn(path, SQLITE_OPEN_READONLY, describe);
  auto objects = query(conn,
                       "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                       "WHERE sql IS NOT NULL ORDER BY name");
  std::map<std::string, std::string> index_sql;
  std::map<std::string, std::string> relations;  // folded name -> name
  for (const Row& r : objects) {
    if (r.text[0] == "index") index_sql[r.text[1]] = r.text[3];
    if ((r.text[0] == "table" || r.text[0] == "view") && !excluded(r.text[1], options))
      relations[fold(r.text[1])] = r.text[1];
  }
  for (const Row& r : objects) {
    const std::string &type = r.text[0], &name = r.text[1], &tbl = r.text[2], &sql = r.text[3];
    if (type == "table") {
      // Virtual tables (and their shadow tables) are not compared: see docs.
      if (excluded(name, options) || fold(normalize(sql)).rfind("create virtual", 0) == 0) continue;
      schema.tables.push_back(inspect_table(conn, name, sql, index_sql));
    } else if (type == "view") {
      View v;
      v.name = {"main", name};
      v.definition = sql;
      v.depends_on = referenced(sql, name, relations);
      schema.views.push_back(v);
    } else if (type == "trigger") {
      if (excluded(tbl, options)) continue;
      Trigger t;
      t.name = name;
      t.table = {"main", tbl};
      t.definition = sql;
      schema.triggers.push_back(t);
    }
  }
  return schema;
}

std::string dump_sqlite(const Schema& s) {
  std::vector<std::string> lines;
  for (const auto& t : s.tables) {
    std::string tn = fold(t.name.name);
    lines.push_back("table " + tn + (t.without_rowid ? " without rowid" : "") +
                    (t.strict ? " strict" : ""));
    for (const auto& c : t.columns)
      lines.push_back(
          "column " + tn + "." + fold(c.name) + " type=" + c.type +
          (c.not_null ? " not null" : "") + (c.default_expr ? " default=" + *c.default_expr : "") +
          (c.collation.empty() ? "" : " collate=" + c.collation) +
          (c.generated.empty()
               ? ""
               : " generated=" + c.generated + (c.generated_virtual ? " virtual" : " stored")));
    for (const auto& c : t.constraints) lines.push_back("constraint " + tn + " " + c.definition);
    for (const auto& ix : t.indexes)
      lines.push_back("index " + tn + " " + normalize(ix.definition));
  }
  for (const auto& v : s.views) lines.push_back("view " + normalize(v.definition));
  for (const auto& tr : s.triggers) lines.push_back("trigger " + normalize(tr.definition));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace migrate::schema::sqlite
