#include "schema/sqlite/sqlite_render.h"

#include "schema/sqlite/sqlite_create_table.h"
#include "sql/sqlite/text.h"
#include "util/error.h"

namespace migrate::schema::sqlite {

using sql::sqlite::quote_ident;

namespace {

std::string describe_column_change(const Column& a, const Column& b) {
  std::vector<std::string> parts;
  // SQLite lets a column have no declared type: say so, not "type  -> text".
  auto type = [](const std::string& t) { return t.empty() ? std::string("(none)") : t; };
  if (a.type != b.type) parts.push_back("type " + type(a.type) + " -> " + type(b.type));
  if (a.not_null != b.not_null)
    parts.emplace_back(b.not_null ? "NOT NULL added" : "NOT NULL dropped");
  if (a.default_expr != b.default_expr)
    parts.push_back("default " + a.default_expr.value_or("none") + " -> " +
                    b.default_expr.value_or("none"));
  if (a.collation != b.collation)
    parts.push_back("collation " + (a.collation.empty() ? "binary" : a.collation) + " -> " +
                    (b.collation.empty() ? "binary" : b.collation));
  if (a.generated != b.generated || a.generated_virtual != b.generated_virtual)
    parts.push_back("generated " + (a.generated.empty() ? "none" : a.generated) + " -> " +
                    (b.generated.empty() ? "none" : b.generated));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string blocker_text(const ops::RebuildReason& r) {
  using B = ops::RebuildReason::Blocker;
  switch (r.blocker) {
    case B::kUnreadable:
      return "its definition cannot be read";
    case B::kPrimaryKey:
      return "it is a PRIMARY KEY";
    case B::kUnique:
      return "it is UNIQUE";
    case B::kStoredGenerated:
      return "it is a STORED generated column";
    case B::kNonConstantDefault:
      return "its default (" + r.column_to.default_expr.value_or("") + ") is not a constant";
    case B::kNotNullWithoutDefault:
      return "it is NOT NULL without a default";
    case B::kReferencesWithDefault:
      return "it REFERENCES another table and has a non-NULL default";
  }
  return "";
}

// A column definition for ADD COLUMN / CREATE TABLE when there is no text
// as written.
std::string column_definition(const Column& c) {
  std::string out = quote_ident(c.name);
  if (!c.type.empty()) out += " " + c.type;
  if (c.not_null) out += " NOT NULL";
  if (c.default_expr) out += " DEFAULT " + *c.default_expr;
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  if (!c.generated.empty())
    out +=
        " GENERATED ALWAYS AS (" + c.generated + (c.generated_virtual ? ") VIRTUAL" : ") STORED");
  return out;
}

std::string create_table(const Table& t) {
  if (!t.sql.empty()) return t.sql;
  std::string body;
  for (const auto& c : t.columns) body += (body.empty() ? "" : ", ") + column_definition(c);
  for (const auto& k : t.constraints) body += ", " + k.definition;
  return "CREATE TABLE " + quote_ident(t.name.name) + " (" + body + ")";
}

std::string create_index(const Index& i) {
  if (!i.definition.empty()) return i.definition;
  if (i.columns.empty()) throw Error("index " + i.name + " has no definition to render");
  std::string cols;
  for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
  std::string sql = std::string("CREATE ") + (i.unique ? "UNIQUE " : "") + "INDEX " +
                    quote_ident(i.name) + " ON " + quote_ident(i.table.name) + " (" + cols + ")";
  if (!i.where.empty()) sql += " WHERE " + i.where;
  return sql;
}

// Whether the summary reports a rebuild reason as a change of the table (a
// column that cannot be added in place or a dropped column in use are
// reported as that column's add or drop).
bool reported_reason(const ops::RebuildReason& r) {
  return r.kind != ops::RebuildReason::Kind::kColumnNotAddable &&
         r.kind != ops::RebuildReason::Kind::kColumnUsedByConstraint &&
         r.kind != ops::RebuildReason::Kind::kColumnUsedByGenerated;
}

class Statements {
 public:
  explicit Statements(std::vector<DiffStatement>& out) : out_(out) {}

  void operator()(const ops::CreateTable& o) { add(create_table(o.table)); }
  void operator()(const ops::DropTable& o) {
    const std::string& name = o.table.name.name;
    destructive("DROP TABLE " + quote_ident(name), "drops table " + name + " and all its rows");
  }
  void operator()(const ops::RenameTable& o) {
    add("ALTER TABLE " + quote_ident(o.from.name) + " RENAME TO " + quote_ident(o.to.name));
  }
  void operator()(const ops::AddColumn& o) {
    add("ALTER TABLE " + quote_ident(o.table.name) + " ADD COLUMN " +
        (o.definition.empty() ? column_definition(o.column) : o.definition));
  }
  void operator()(const ops::DropColumn& o) {
    destructive(
        "ALTER TABLE " + quote_ident(o.table.name) + " DROP COLUMN " + quote_ident(o.column.name),
        "drops column " + o.table.name + "." + o.column.name + " and its data");
  }
  void operator()(const ops::RenameColumn& o) {
    add("ALTER TABLE " + quote_ident(o.table.name) + " RENAME COLUMN " + quote_ident(o.from) +
        " TO " + quote_ident(o.to));
  }
  void operator()(const ops::RebuildTable& o) {
    const std::string name = o.to.name.name;
    const std::string tmp = "migrate_tmp_" + name;
    std::string reasons;
    for (const auto& r : o.reasons) reasons += (reasons.empty() ? "" : "; ") + describe(r);
    out_.push_back(
        {rename_created(create_table(o.to), tmp), false,
         "rebuild of table " + name + " (SQLite cannot ALTER this in place: " + reasons + ")"});
    std::string cols;
    for (const auto& [from_name, to_name] : o.kept) {
      const Column* c = o.to.column(to_name);
      if (c && !c->generated.empty()) continue;  // computed again
      cols += (cols.empty() ? "" : ", ") + quote_ident(to_name);
    }
    if (!cols.empty()) {
      std::string dropped;
      for (const auto& d : o.dropped) dropped += (dropped.empty() ? "" : ", ") + d.name;
      std::string sql = "INSERT INTO " + quote_ident(tmp) + " (" + cols + ") SELECT " + cols +
                        " FROM " + quote_ident(name);
      if (dropped.empty())
        add(std::move(sql));
      else
        destructive(std::move(sql),
                    "column(s) " + dropped + " of " + name + " are not copied: their data is lost");
    }
    add("DROP TABLE " + quote_ident(name));
    add("ALTER TABLE " + quote_ident(tmp) + " RENAME TO " + quote_ident(name));
  }
  void operator()(const ops::CreateIndex& o) { add(create_index(o.index)); }
  void operator()(const ops::DropIndex& o) {
    if (!o.with_table) add("DROP INDEX " + quote_ident(o.index.name));
  }
  void operator()(const ops::CreateView& o) { add(o.view.definition); }
  void operator()(const ops::DropView& o) { add("DROP VIEW " + quote_ident(o.view.name.name)); }
  void operator()(const ops::CreateTrigger& o) { add(o.trigger.definition); }
  void operator()(const ops::DropTrigger& o) { add("DROP TRIGGER " + quote_ident(o.trigger.name)); }

  // What SQLite cannot do with a statement of its own.
  template <typename Op>
  void operator()(const Op&) {
    throw Error("SQLite has no statement for this operation (a table rebuild does it)");
  }

 private:
  void add(std::string sql) { out_.push_back({std::move(sql), false, "", ""}); }
  void destructive(std::string sql, std::string note) {
    out_.push_back({std::move(sql), true, std::move(note), ""});
  }
  std::vector<DiffStatement>& out_;
};

class Summary {
 public:
  explicit Summary(std::vector<std::string>& out) : out_(out) {}

  void operator()(const ops::CreateTable& o) { add("add table " + o.table.name.name); }
  void operator()(const ops::DropTable& o) { add("drop table " + o.table.name.name); }
  void operator()(const ops::RenameTable& o) {
    add("rename table " + o.from.name + " to " + o.to.name);
  }
  void operator()(const ops::AddColumn& o) {
    add("add column " + o.table.name + "." + o.column.name);
  }
  void operator()(const ops::DropColumn& o) {
    add("drop column " + o.table.name + "." + o.column.name);
  }
  void operator()(const ops::RenameColumn& o) {
    add("rename column " + o.table.name + "." + o.from + " to " + o.to);
  }
  void operator()(const ops::RebuildTable& o) {
    const std::string& t = o.to.name.name;
    for (const auto& d : o.dropped) add("drop column " + t + "." + d.name);
    for (const auto& a : o.added) add("add column " + t + "." + a.name);
    for (const auto& r : o.reasons)
      if (reported_reason(r)) add("change table " + t + ": " + describe(r));
  }
  void operator()(const ops::CreateIndex& o) { add("add index " + o.index.name); }
  void operator()(const ops::DropIndex& o) {
    add((o.replacement ? "change index " : "drop index ") + o.index.name);
  }
  void operator()(const ops::CreateView& o) {
    add((o.recreate ? "change view " : "add view ") + o.view.name.name);
  }
  void operator()(const ops::DropView& o) { add("drop view " + o.view.name.name); }
  void operator()(const ops::CreateTrigger& o) { add("add trigger " + o.trigger.name); }
  void operator()(const ops::DropTrigger& o) {
    add((o.replaced ? "change trigger " : "drop trigger ") + o.trigger.name);
  }
  template <typename Op>
  void operator()(const Op&) {}

 private:
  void add(std::string line) { out_.push_back(std::move(line)); }
  std::vector<std::string>& out_;
};

class SqliteRenderer : public Renderer {
 public:
  void statements(const ops::Operation& op, std::vector<DiffStatement>& out) const override {
    std::visit(Statements(out), op.op);
  }
  void summary(const ops::Operation& op, std::vector<std::string>& out) const override {
    std::visit(Summary(out), op.op);
  }
  void warnings(const ops::Operation& op, std::vector<std::string>& out) const override {
    const auto* rebuild = std::get_if<ops::RebuildTable>(&op.op);
    if (!rebuild) return;
    for (const auto& a : rebuild->added)
      if (a.not_null && !a.default_expr && a.generated.empty())
        out.push_back("table " + rebuild->to.name.name + ": new column " + a.name +
                      " is NOT NULL without a default, so the rebuild fails if the table has "
                      "rows; give it a DEFAULT");
  }
  ops::Loss data_loss(const ops::Operation& op) const override {
    if (std::holds_alternative<ops::DropTable>(op.op)) return ops::Loss::kTableRows;
    if (std::holds_alternative<ops::DropColumn>(op.op)) return ops::Loss::kColumnData;
    if (const auto* r = std::get_if<ops::RebuildTable>(&op.op))
      return r->dropped.empty() ? ops::Loss::kNone : ops::Loss::kUncopiedColumns;
    return ops::Loss::kNone;
  }
};

}  // namespace

std::string describe(const ops::RebuildReason& r) {
  using K = ops::RebuildReason::Kind;
  switch (r.kind) {
    case K::kColumnChanged:
      return "column " + r.column_to.name + ": " + describe_column_change(r.column, r.column_to);
    case K::kWithoutRowid:
      return r.added ? "WITHOUT ROWID added" : "WITHOUT ROWID dropped";
    case K::kStrict:
      return r.added ? "STRICT added" : "STRICT dropped";
    case K::kColumnNotAddable:
      return "column " + r.column_to.name + " cannot be added in place: " + blocker_text(r);
    case K::kColumnUsedByConstraint:
      return "column " + r.column.name + " is dropped but used by " + r.constraint;
    case K::kColumnUsedByGenerated:
      return "column " + r.column.name + " is dropped but used by generated column " +
             r.column_to.name;
    case K::kConstraintDropped:
      return "constraint dropped: " + r.constraint;
    case K::kConstraintAdded:
      return "constraint added: " + r.constraint;
  }
  return "";
}

const Renderer& renderer() {
  static const SqliteRenderer instance;
  return instance;
}

}  // namespace migrate::schema::sqlite
