#include "schema/sqlite/sqlite_table_plan.h"

#include <algorithm>
#include <optional>

#include "schema/sqlite/sqlite_create_table.h"
#include "sql/sqlite/text.h"

namespace migrate::schema::sqlite {

// SQLite's tokenizer and text operations (sql/sqlite/).
using sql::sqlite::fold;
using sql::sqlite::Kind;
using sql::sqlite::normalize;
using sql::sqlite::quote_ident;
using sql::sqlite::replace_ident;
using sql::sqlite::tokenize;

namespace {

std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote_ident(fold(n));
  return out;
}

std::string mapped(const std::map<std::string, std::string>& m, const std::string& name) {
  auto it = m.find(fold(name));
  return it == m.end() ? name : it->second;
}

std::vector<std::string> mapped(const std::map<std::string, std::string>* m,
                                const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(m ? mapped(*m, n) : n);
  return out;
}

const std::map<std::string, std::string>* columns_of(const Renames& r, const std::string& table) {
  auto it = r.columns.find(fold(table));
  return it == r.columns.end() ? nullptr : &it->second;
}

// The head of a constraint definition that names columns, as inspection
// writes it ("PRIMARY KEY (a, b)", "FOREIGN KEY (a) REFERENCES t (b)").
std::string head(const Constraint& c, const std::vector<std::string>& cols,
                 const std::string& ref_table, const std::vector<std::string>& ref_cols) {
  switch (c.kind) {
    case ConstraintKind::PrimaryKey:
      return "PRIMARY KEY (" + name_list(cols) + ")";
    case ConstraintKind::Unique:
      return "UNIQUE (" + name_list(cols) + ")";
    case ConstraintKind::ForeignKey: {
      std::string h =
          "FOREIGN KEY (" + name_list(cols) + ") REFERENCES " + quote_ident(fold(ref_table));
      if (!ref_cols.empty()) h += " (" + name_list(ref_cols) + ")";
      return h;
    }
    default:
      return "";
  }
}

// A default SQLite's ADD COLUMN accepts: a literal, not an expression or a
// CURRENT_TIME/DATE/TIMESTAMP.
bool constant_default(const std::string& expr) {
  auto t = tokenize(expr);
  std::size_t i = 0;
  if (i < t.size() && (t[i].is("-") || t[i].is("+"))) ++i;
  if (i + 1 != t.size()) return false;
  return t[i].kind == Kind::string || t[i].kind == Kind::number || t[i].is_word("null") ||
         t[i].is_word("true") || t[i].is_word("false");
}

bool is_null_default(const Column& c) { return !c.default_expr || fold(*c.default_expr) == "null"; }

const ParsedColumn* parsed_column(const ParsedTable& p, const std::string& name) {
  for (const auto& c : p.columns)
    if (fold(c.name) == fold(name)) return &c;
  return nullptr;
}

// Why a column cannot be added with ALTER TABLE ADD COLUMN (none: it can).
std::optional<ops::RebuildReason::Blocker> add_column_blocker(const Column& c,
                                                              const ParsedColumn* p) {
  using B = ops::RebuildReason::Blocker;
  if (!p) return B::kUnreadable;
  if (p->primary_key) return B::kPrimaryKey;
  if (p->unique) return B::kUnique;
  if (!c.generated.empty() && !c.generated_virtual) return B::kStoredGenerated;
  if (c.generated.empty()) {
    if (c.default_expr && !constant_default(*c.default_expr)) return B::kNonConstantDefault;
    if (c.not_null && is_null_default(c)) return B::kNotNullWithoutDefault;
  }
  if (p->references && !is_null_default(c)) return B::kReferencesWithDefault;
  return std::nullopt;
}

// Whether two columns differ in what a rebuild can change (not the name).
bool column_changes(const Column& a, const Column& b) {
  return a.type != b.type || a.not_null != b.not_null || a.default_expr != b.default_expr ||
         a.collation != b.collation || a.generated != b.generated ||
         a.generated_virtual != b.generated_virtual;
}

bool uses_column(const Uses& uses, const std::string& name) {
  return std::any_of(uses.columns.begin(), uses.columns.end(),
                     [&](const std::string& n) { return fold(n) == fold(name); });
}

}  // namespace

bool ColumnMatch::renamed() const { return fold(from->name) != fold(to->name); }

bool TablePlan::has_column_renames() const {
  return std::any_of(kept.begin(), kept.end(), [](const ColumnMatch& m) { return m.renamed(); });
}

bool TablePlan::altered() const {
  return renamed || rebuild() || !dropped.empty() || !added.empty() || has_column_renames();
}

std::string comparable_definition(const std::string& sql) {
  return normalize(rename_created(sql, "_"));
}

void collect_column_renames(const Table& from, const Table& to, Renames& renames) {
  for (const auto& c : to.columns) {
    if (c.renamed_from.empty() || from.column(c.name) || !from.column(c.renamed_from)) continue;
    // Case-insensitive: SQLite names are.
    bool taken = std::any_of(from.columns.begin(), from.columns.end(),
                             [&](const Column& f) { return fold(f.name) == fold(c.name); });
    bool old_kept = std::any_of(to.columns.begin(), to.columns.end(), [&](const Column& t) {
      return fold(t.name) == fold(c.renamed_from);
    });
    if (!taken && !old_kept) renames.columns[fold(to.name.name)][fold(c.renamed_from)] = c.name;
  }
}

std::string project_constraint(const Constraint& c, const std::string& table_new_name,
                               const Renames& renames) {
  const auto* cols = columns_of(renames, table_new_name);
  std::string def = c.definition;
  if (c.kind == ConstraintKind::Check) {
    if (cols)
      for (const auto& [old_name, new_name] : *cols) def = replace_ident(def, old_name, new_name);
    return normalize(def);
  }
  std::string ref_new = mapped(renames.tables, c.ref_table.name);
  std::string old_head = head(c, c.columns, c.ref_table.name, c.ref_columns);
  std::string new_head = head(c, mapped(cols, c.columns), ref_new,
                              mapped(columns_of(renames, ref_new), c.ref_columns));
  auto pos = def.find(old_head);
  if (pos != std::string::npos) def.replace(pos, old_head.size(), new_head);
  return normalize(def);
}

TablePlan plan_table(const Table& from, const Table& to, bool renamed, const Renames& renames) {
  TablePlan plan;
  plan.from = &from;
  plan.to = &to;
  plan.renamed = renamed;
  std::string tn = to.name.name;
  const auto* col_renames = columns_of(renames, tn);

  // Columns: by name, then by rename hint.
  std::vector<bool> from_used(from.columns.size(), false);
  for (const auto& c : to.columns) {
    std::string source = c.name;
    if (col_renames)
      for (const auto& [old_name, new_name] : *col_renames)
        if (fold(new_name) == fold(c.name)) source = old_name;
    bool found = false;
    for (std::size_t i = 0; i < from.columns.size(); ++i) {
      if (from_used[i] || fold(from.columns[i].name) != fold(source)) continue;
      from_used[i] = true;
      plan.kept.push_back({&from.columns[i], &c});
      found = true;
      break;
    }
    if (!found) plan.added.push_back(&c);
  }
  for (std::size_t i = 0; i < from.columns.size(); ++i)
    if (!from_used[i]) plan.dropped.push_back(&from.columns[i]);

  using Reason = ops::RebuildReason;
  auto reason = [&](Reason::Kind kind) -> Reason& {
    plan.rebuild_reasons.emplace_back();
    plan.rebuild_reasons.back().kind = kind;
    return plan.rebuild_reasons.back();
  };

  for (const auto& m : plan.kept) {
    Column projected = *m.from;
    projected.name = m.to->name;
    if (col_renames)
      for (const auto& [old_name, new_name] : *col_renames)
        if (!projected.generated.empty())
          projected.generated = normalize(replace_ident(projected.generated, old_name, new_name));
    if (!column_changes(projected, *m.to)) continue;
    Reason& r = reason(Reason::Kind::kColumnChanged);
    r.column = std::move(projected);
    r.column_to = *m.to;
  }
  if (from.without_rowid != to.without_rowid)
    reason(Reason::Kind::kWithoutRowid).added = to.without_rowid;
  if (from.strict != to.strict) reason(Reason::Kind::kStrict).added = to.strict;

  ParsedTable parsed_to = parse_create_table(to.sql);
  std::vector<std::string> expected;  // what `to` should hold after the in-place change
  for (const auto& c : from.constraints) {
    // A column's own CHECK goes with it (SQLite allows that DROP COLUMN).
    bool own_check = c.kind == ConstraintKind::Check && c.columns.size() == 1 &&
                     std::any_of(plan.dropped.begin(), plan.dropped.end(), [&](const Column* d) {
                       return fold(d->name) == fold(c.columns[0]);
                     });
    if (own_check) continue;
    const Column* used = nullptr;
    for (const Column* d : plan.dropped) {
      bool uses = std::any_of(c.columns.begin(), c.columns.end(),
                              [&](const std::string& n) { return fold(n) == fold(d->name); }) ||
                  uses_column(c.uses, d->name);
      if (uses) used = d;
    }
    if (used) {
      Reason& r = reason(Reason::Kind::kColumnUsedByConstraint);
      r.column = *used;
      r.constraint = c.definition;
      continue;
    }
    expected.push_back(project_constraint(c, tn, renames));
  }
  for (const Column* d : plan.dropped)
    for (const auto& c : from.columns)
      if (!c.generated.empty() && uses_column(c.uses, d->name)) {
        Reason& r = reason(Reason::Kind::kColumnUsedByGenerated);
        r.column = *d;
        r.column_to = c;
      }
  for (const Column* a : plan.added) {
    const ParsedColumn* p = parsed_column(parsed_to, a->name);
    if (auto blocker = add_column_blocker(*a, p)) {
      Reason& r = reason(Reason::Kind::kColumnNotAddable);
      r.column_to = *a;
      r.blocker = *blocker;
    }
    // Its column constraints come with ADD COLUMN.
    for (const auto& c : to.constraints) {
      bool own = c.columns.size() == 1 && fold(c.columns[0]) == fold(a->name) &&
                 (c.kind == ConstraintKind::Check ||
                  (c.kind == ConstraintKind::ForeignKey && p && p->references));
      if (own) expected.push_back(normalize(c.definition));
    }
  }
  std::vector<std::string> actual;
  for (const auto& c : to.constraints) actual.push_back(normalize(c.definition));
  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  if (expected != actual) {
    std::vector<std::string> gone, come;
    std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                        std::back_inserter(gone));
    std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                        std::back_inserter(come));
    for (const auto& g : gone) reason(Reason::Kind::kConstraintDropped).constraint = g;
    for (const auto& c : come) reason(Reason::Kind::kConstraintAdded).constraint = c;
  }
  return plan;
}

}  // namespace migrate::schema::sqlite
