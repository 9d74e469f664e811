// The PostgreSQL statements of each operation (pg_render.h).
#include <fmt/format.h>

#include <algorithm>

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string label_list(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += (out.empty() ? "" : ", ") + literal(l);
  return out;
}

std::string sequence_options(const Sequence& s) {
  return fmt::format("AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
                     s.type, s.increment, s.min_value, s.max_value, s.start, s.cache,
                     s.cycle ? "CYCLE" : "NO CYCLE");
}

const char* view_keyword(const View& v) { return v.materialized ? "MATERIALIZED VIEW" : "VIEW"; }

std::string query_text(const View& v) {
  std::string q(util::trim(v.definition));
  if (!q.empty() && q.back() == ';') q.pop_back();
  return q;
}

std::string comment_target(const ops::Comment& c) {
  using On = ops::Comment::On;
  switch (c.on) {
    case On::kTable:
      return "TABLE " + qualified(c.object);
    case On::kColumn:
      return "COLUMN " + qualified(c.object) + "." + ident(c.member);
    case On::kConstraint:
      return fmt::format("CONSTRAINT {} ON {}", ident(c.member), qualified(c.object));
    case On::kIndex:
      return "INDEX " + qualified({c.object.schema, c.member});
    case On::kView:
      return "VIEW " + qualified(c.object);
    case On::kMaterializedView:
      return "MATERIALIZED VIEW " + qualified(c.object);
    case On::kEnum:
      return "TYPE " + qualified(c.object);
    case On::kFunction:
      return fmt::format("FUNCTION {}({})", qualified(c.object), c.args);
    case On::kProcedure:
      return fmt::format("PROCEDURE {}({})", qualified(c.object), c.args);
  }
  return "";
}

// A constraint's text when the model has no canonical definition (built by
// hand): keys from their columns; CHECK and EXCLUDE need the definition.
std::string constraint_definition(const Constraint& k) {
  if (!k.definition.empty()) return k.definition;
  auto names = [](const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : ", ") + ident(c);
    return out;
  };
  switch (k.kind) {
    case ConstraintKind::PrimaryKey:
      return "PRIMARY KEY (" + names(k.columns) + ")";
    case ConstraintKind::Unique:
      return "UNIQUE (" + names(k.columns) + ")";
    case ConstraintKind::ForeignKey:
      return fmt::format("FOREIGN KEY ({}) REFERENCES {}({})", names(k.columns),
                         qualified(k.ref_table), names(k.ref_columns));
    default:
      throw Error("constraint " + k.name + " has no definition to render");
  }
}

// CREATE [UNIQUE] INDEX [CONCURRENTLY] ...: the canonical definition when
// there is one, else composed from the plain key columns.
std::string create_index_sql(const Index& i, bool concurrently) {
  std::string def = i.definition;
  if (def.empty()) {
    if (i.columns.empty()) throw Error("index " + i.name + " has no definition to render");
    std::string cols;
    for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + ident(c);
    def =
        fmt::format("CREATE {}INDEX {} ON {} USING {} ({})", i.unique ? "UNIQUE " : "",
                    ident(i.name), qualified(i.table), i.method.empty() ? "btree" : i.method, cols);
    if (!i.where.empty()) def += " WHERE " + i.where;
  }
  if (concurrently) {
    auto p = def.find("INDEX ");
    if (p != std::string::npos) def.insert(p + 6, "CONCURRENTLY ");
  }
  return def;
}

class Statements {
 public:
  explicit Statements(std::vector<DiffStatement>& out) : out_(out) {}

  void operator()(const ops::CreateSchema& o) { add("CREATE SCHEMA " + ident(o.name)); }
  void operator()(const ops::DropSchema& o) { add("DROP SCHEMA " + ident(o.name)); }
  void operator()(const ops::CreateExtension& o) {
    const Extension& e = o.extension;
    add(fmt::format("CREATE EXTENSION {} WITH SCHEMA {} VERSION {}", ident(e.name), ident(e.schema),
                    literal(e.version)));
  }
  void operator()(const ops::AlterExtension& o) {
    if (o.from.schema != o.to.schema)
      add(fmt::format("ALTER EXTENSION {} SET SCHEMA {}", ident(o.to.name), ident(o.to.schema)));
    if (o.from.version != o.to.version && !o.no_update_path)
      add(fmt::format("ALTER EXTENSION {} UPDATE TO {}", ident(o.to.name), literal(o.to.version)));
  }
  void operator()(const ops::DropExtension& o) {
    destructive("DROP EXTENSION " + ident(o.extension.name),
                "drops extension " + o.extension.name + " and the objects it owns");
  }

  void operator()(const ops::CreateEnum& o) {
    add(fmt::format("CREATE TYPE {} AS ENUM ({})", qualified(o.type.name),
                    label_list(o.type.labels)));
  }
  void operator()(const ops::AddEnumValue& o) {
    add(fmt::format("ALTER TYPE {} ADD VALUE {} {} {}", qualified(o.type), literal(o.label),
                    o.before ? "BEFORE" : "AFTER", literal(o.neighbour)));
  }
  void operator()(const ops::RenameEnum& o) {
    add(fmt::format("ALTER TYPE {} RENAME TO {}", qualified(o.type), ident(o.new_name)));
  }
  void operator()(const ops::DropEnum& o) {
    const std::string sql = "DROP TYPE " + qualified(o.type);
    if (o.removed_labels.empty())
      add(sql);
    else
      destructive(sql, fmt::format("enum {} loses label(s) {}: converting a row that holds one "
                                   "fails",
                                   display(o.rebuilt), label_list(o.removed_labels)));
  }

  void operator()(const ops::CreateSequence& o) {
    add(fmt::format("CREATE SEQUENCE {} {}", qualified(o.sequence.name),
                    sequence_options(o.sequence)));
  }
  void operator()(const ops::AlterSequence& o) {
    add(fmt::format("ALTER SEQUENCE {} {}", qualified(o.to.name), sequence_options(o.to)));
  }
  void operator()(const ops::SetSequenceOwner& o) {
    add(fmt::format("ALTER SEQUENCE {} OWNED BY {}", qualified(o.sequence),
                    o.owned_by.empty() ? "NONE" : o.owned_by));
  }
  void operator()(const ops::DropSequence& o) {
    if (!o.with_column) add("DROP SEQUENCE " + qualified(o.sequence.name));
  }

  void operator()(const ops::CreateFunction& o) {
    add(std::string(util::trim_right(o.function.definition)));
  }
  void operator()(const ops::DropFunction& o) { add("DROP " + function_signature(o.function)); }

  void operator()(const ops::CreateTable& o) { add(create_table(o.table)); }
  void operator()(const ops::DropTable& o) {
    destructive("DROP TABLE " + qualified(o.table.name),
                "drops table " + display(o.table.name) + " and its rows");
  }
  void operator()(const ops::RenameTable& o) {
    if (o.from.name != o.to.name)
      add(fmt::format("ALTER TABLE {} RENAME TO {}", qualified(o.from), ident(o.to.name)));
    if (o.from.schema != o.to.schema)
      add(fmt::format("ALTER TABLE {} SET SCHEMA {}", qualified({o.from.schema, o.to.name}),
                      ident(o.to.schema)));
  }

  void operator()(const ops::AddColumn& o) {
    add(fmt::format("ALTER TABLE {} ADD COLUMN {}", qualified(o.table),
                    o.definition.empty() ? column_definition(o.column) : o.definition));
  }
  void operator()(const ops::DropColumn& o) {
    const std::string sql = fmt::format("ALTER TABLE {}{} DROP COLUMN {}", o.only ? "ONLY " : "",
                                        qualified(o.table), ident(o.column.name));
    const std::string what = display(o.table) + "." + o.column.name;
    if (!o.replaced)
      destructive(sql, "drops column " + what + " and its data");
    else if (o.column.generated.empty())
      destructive(sql, "column " + what + " becomes generated: its data is replaced");
    else
      add(sql);  // generated: the server computes it again
  }
  void operator()(const ops::RenameColumn& o) {
    add(fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", qualified(o.table), ident(o.from),
                    ident(o.to)));
  }
  void operator()(const ops::AlterColumn& o) { alter_column(o); }

  void operator()(const ops::AddConstraint& o) {
    std::string def = constraint_definition(o.constraint);
    if (o.not_valid && !util::ends_with(def, " NOT VALID")) def += " NOT VALID";
    add(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", qualified(o.table),
                    ident(o.constraint.name), def));
  }
  void operator()(const ops::ValidateConstraint& o) {
    add(fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}", qualified(o.table), ident(o.name)));
  }
  void operator()(const ops::DropConstraint& o) {
    add(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", qualified(o.table),
                    ident(o.constraint.name)));
  }
  void operator()(const ops::CreateIndex& o) { add(create_index_sql(o.index, o.concurrently)); }
  void operator()(const ops::DropIndex& o) {
    if (o.with_table) return;
    add(std::string("DROP INDEX ") + (o.concurrently ? "CONCURRENTLY " : "") +
        qualified({o.index.table.schema, o.index.name}));
  }
  void operator()(const ops::RebuildTable&) {
    throw Error("a table rebuild is SQLite's: PostgreSQL alters tables in place");
  }

  void operator()(const ops::CreateView& o) {
    const View& v = o.view;
    const std::string with = v.options.empty() ? "" : " WITH (" + util::join(v.options, ", ") + ")";
    add(fmt::format("CREATE {}{} {}{} AS\n{}", o.or_replace ? "OR REPLACE " : "", view_keyword(v),
                    qualified(v.name), with, query_text(v)));
  }
  void operator()(const ops::DropView& o) {
    add(fmt::format("DROP {} {}", view_keyword(o.view), qualified(o.view.name)));
  }
  void operator()(const ops::CreateTrigger& o) { add(o.trigger.definition); }
  void operator()(const ops::DropTrigger& o) {
    add(fmt::format("DROP TRIGGER {} ON {}", ident(o.trigger.name), qualified(o.trigger.table)));
  }
  void operator()(const ops::SetRowSecurity& o) {
    const std::string alter = "ALTER TABLE " + qualified(o.table);
    if (o.from_enabled != o.to_enabled)
      add(alter + (o.to_enabled ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY");
    if (o.from_forced != o.to_forced)
      add(alter + (o.to_forced ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY");
  }
  void operator()(const ops::CreatePolicy& o) {
    const Policy& p = o.policy;
    std::string sql = fmt::format("CREATE POLICY {} ON {}", ident(p.name), qualified(p.table));
    if (!p.permissive) sql += " AS RESTRICTIVE";
    if (p.command != "ALL") sql += " FOR " + p.command;
    if (!p.roles.empty()) sql += " TO " + util::join(p.roles, ", ");
    if (!p.using_expr.empty()) sql += " USING (" + p.using_expr + ")";
    if (!p.check_expr.empty()) sql += " WITH CHECK (" + p.check_expr + ")";
    add(sql);
  }
  void operator()(const ops::DropPolicy& o) {
    add(fmt::format("DROP POLICY {} ON {}", ident(o.policy.name), qualified(o.policy.table)));
  }
  void operator()(const ops::CreateCollation& o) {
    const Collation& c = o.collation;
    std::string options = "provider = " + c.provider;
    if (c.provider == "icu") {
      options += ", locale = " + literal(c.locale);
    } else {
      options += ", lc_collate = " + literal(c.lc_collate) + ", lc_ctype = " + literal(c.lc_ctype);
    }
    if (!c.deterministic) options += ", deterministic = false";
    add(fmt::format("CREATE COLLATION {} ({})", qualified(c.name), options));
    if (!c.comment.empty())
      add(fmt::format("COMMENT ON COLLATION {} IS {}", qualified(c.name), literal(c.comment)));
  }
  void operator()(const ops::DropCollation& o) {
    add("DROP COLLATION " + qualified(o.collation.name));
  }
  void operator()(const ops::CreateDomain& o) {
    const Domain& d = o.domain;
    std::string sql = fmt::format("CREATE DOMAIN {} AS {}", qualified(d.name), d.type);
    if (!d.collation.empty()) sql += " COLLATE " + d.collation;
    if (d.default_expr) sql += " DEFAULT " + *d.default_expr;
    if (d.not_null) sql += " NOT NULL";
    for (const auto& k : d.constraints)
      sql += fmt::format(" CONSTRAINT {} {}", ident(k.name), k.definition);
    add(sql);
    if (!d.comment.empty())
      add(fmt::format("COMMENT ON DOMAIN {} IS {}", qualified(d.name), literal(d.comment)));
  }
  void operator()(const ops::AlterDomain& o) {
    const Domain &from = o.from, &to = o.to;
    const std::string alter = "ALTER DOMAIN " + qualified(to.name);
    if (from.default_expr != to.default_expr)
      add(to.default_expr ? alter + " SET DEFAULT " + *to.default_expr : alter + " DROP DEFAULT");
    auto find = [](const Domain& d, const std::string& name) -> const Constraint* {
      for (const auto& k : d.constraints)
        if (k.name == name) return &k;
      return nullptr;
    };
    for (const auto& k : from.constraints) {
      const Constraint* now = find(to, k.name);
      if (!now || now->definition != k.definition) add(alter + " DROP CONSTRAINT " + ident(k.name));
    }
    if (from.not_null != to.not_null) add(alter + (to.not_null ? " SET" : " DROP") + " NOT NULL");
    for (const auto& k : to.constraints) {
      const Constraint* before = find(from, k.name);
      if (!before || before->definition != k.definition)
        add(fmt::format("{} ADD CONSTRAINT {} {}", alter, ident(k.name), k.definition));
    }
    if (from.comment != to.comment)
      add(fmt::format("COMMENT ON DOMAIN {} IS {}", qualified(to.name),
                      to.comment.empty() ? "NULL" : literal(to.comment)));
  }
  void operator()(const ops::DropDomain& o) { add("DROP DOMAIN " + qualified(o.domain.name)); }

  void operator()(const ops::Comment& o) {
    add(fmt::format("COMMENT ON {} IS {}", comment_target(o),
                    o.text.empty() ? "NULL" : literal(o.text)));
  }

  void operator()(const ops::CreateEventTrigger& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::AlterEventTrigger& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::DropEventTrigger& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::CreatePublication& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::AlterPublication& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::DropPublication& o) { add_all(db_kind_sql(o)); }
  void operator()(const ops::CreateCompositeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::AlterCompositeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::DropCompositeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::CreateRangeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::CommentRangeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::DropRangeType& o) { add_all(type_sql(o)); }
  void operator()(const ops::SetOwner& o) { add_all(privilege_sql(o)); }
  void operator()(const ops::ChangePrivileges& o) { add_all(privilege_sql(o)); }

  void operator()(const ops::SetLogged& o) {
    add(fmt::format("ALTER TABLE {} SET {}", qualified(o.table),
                    o.unlogged ? "UNLOGGED" : "LOGGED"));
  }
  void operator()(const ops::SetRelationOptions& o) {
    const char* keyword = ops::relation_keyword(o.kind);
    auto name_of = [](const std::string& option) { return option.substr(0, option.find('=')); };
    std::vector<std::string> reset;
    for (const auto& f : o.from) {
      bool kept = false;
      for (const auto& t : o.to) kept = kept || name_of(t) == name_of(f);
      if (!kept) reset.push_back(name_of(f));
    }
    // Every option of `to`, in its order: the server keeps the options SET
    // does not name first, then those it names in the order given, so the
    // stored list ends as `to`'s.
    const std::vector<std::string>& set = o.to;
    const std::string head = std::string("ALTER ") + keyword + " " + qualified(o.relation);
    if (!reset.empty()) add(head + " RESET (" + util::join(reset, ", ") + ")");
    if (!set.empty()) add(head + " SET (" + util::join(set, ", ") + ")");
  }
  void operator()(const ops::SetStatistics& o) {
    if (o.index.empty())
      add(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET STATISTICS {}", qualified(o.table),
                      ident(o.column), o.target));
    else
      add(fmt::format("ALTER INDEX {} ALTER COLUMN {} SET STATISTICS {}",
                      qualified({o.table.schema, o.index}), o.index_column, o.target));
  }
  void operator()(const ops::AttachChild& o) {
    if (o.partition)
      add(fmt::format("ALTER TABLE {} ATTACH PARTITION {} {}", qualified(o.parent),
                      qualified(o.child), o.bound));
    else
      add(fmt::format("ALTER TABLE {} INHERIT {}", qualified(o.child), qualified(o.parent)));
  }
  void operator()(const ops::DetachChild& o) {
    if (o.partition)
      add(fmt::format("ALTER TABLE {} DETACH PARTITION {}", qualified(o.parent),
                      qualified(o.child)));
    else
      add(fmt::format("ALTER TABLE {} NO INHERIT {}", qualified(o.child), qualified(o.parent)));
  }
  void operator()(const ops::InheritColumn& o) {
    using Step = ops::InheritColumn::Step;
    const std::string what = display(o.table) + "." + o.from.name;
    switch (o.step) {
      case Step::kPark:
        return add(fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", qualified(o.table),
                               ident(o.from.name), ident(o.parked)));
      case Step::kCopy: {
        std::string sql =
            fmt::format("UPDATE {} SET {} = {}", qualified(o.table), ident(o.to.name), o.value);
        if (inherit_column_loss(o) == ops::Loss::kNarrowing)
          return destructive(std::move(sql),
                             fmt::format("{} changes type from {} to {} as it becomes inherited: "
                                         "values that do not fit fail or are cut",
                                         what, o.from.type, o.to.type));
        return noted(std::move(sql),
                     fmt::format("{} becomes inherited from {}: its values (and those of the "
                                 "tables inheriting from it) are copied back from {}",
                                 what, display(o.parent), o.parked));
      }
      case Step::kDrop:
        return noted(
            fmt::format("ALTER TABLE {} DROP COLUMN {}", qualified(o.table), ident(o.parked)),
            "its values were copied into " + what + " above");
    }
  }

 private:
  void add(std::string sql) { out_.push_back({std::move(sql), false, "", ""}); }
  void add_all(std::vector<std::string> sqls) {
    for (auto& sql : sqls) add(std::move(sql));
  }
  void destructive(std::string sql, std::string note) {
    out_.push_back({std::move(sql), true, std::move(note), ""});
  }
  void noted(std::string sql, std::string note) {
    out_.push_back({std::move(sql), false, std::move(note), ""});
  }

  // The subcommands in an order the server accepts: a default is dropped
  // before a type change (it may not cast) and before ADD IDENTITY (a column
  // cannot have both), and set again afterwards.
  void alter_column(const ops::AlterColumn& o) {
    const Column &from = o.from, &to = o.to;
    const std::string alter =
        fmt::format("ALTER TABLE {} ALTER COLUMN {}", qualified(o.table), ident(to.name));
    const bool retype = retypes(o);
    const bool default_changes = from.default_expr != to.default_expr;
    bool default_dropped = false;
    if (from.default_expr &&
        (default_changes || retype || (!to.identity.empty() && from.identity.empty()))) {
      add(alter + " DROP DEFAULT");
      default_dropped = true;
    }
    if (!from.identity.empty() && to.identity.empty()) add(alter + " DROP IDENTITY");
    if (retype) {
      std::string sql = alter + " TYPE " + to.type;
      if (!to.collation.empty()) sql += " COLLATE " + to.collation;
      if (!o.using_expr.empty()) {
        sql += " USING " + o.using_expr;
      } else if (o.rebuilt_type) {
        // Through text: the old and new enum types have no cast between them.
        const bool array = util::ends_with(to.type, "[]") && to.type.size() > 2;
        sql += fmt::format(" USING {}::{}::{}", ident(to.name), array ? "text[]" : "text", to.type);
      } else if (needs_using(from.type, to.type)) {
        sql += fmt::format(" USING {}::{}", ident(to.name), to.type);
      }
      const std::string what = display(o.table) + "." + to.name;
      switch (alter_column_loss(o)) {
        case ops::Loss::kEnumLabels:
          destructive(sql, fmt::format("{} converts to the rebuilt enum {}: a row holding a "
                                       "removed label fails",
                                       what, to.type));
          break;
        case ops::Loss::kNarrowing:
          destructive(sql, fmt::format("{} changes type from {} to {}: values that do not fit "
                                       "fail or are cut",
                                       what, from.type, to.type));
          break;
        default:
          add(sql);
      }
    }
    if (to.not_null && !from.not_null) add(alter + " SET NOT NULL");
    if (!to.identity.empty() && to.identity != from.identity) {
      const char* gen = to.identity == "always" ? "ALWAYS" : "BY DEFAULT";
      if (from.identity.empty()) {
        add(fmt::format("{} ADD GENERATED {} AS IDENTITY", alter, gen));
        // The new identity sequence starts at 1: move it past the values the
        // column already holds, or the next INSERT may collide with them.
        add(fmt::format(
            "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({}), 0) "
            "+ 1, false) FROM {}",
            literal(qualified(o.table)), literal(to.name), ident(to.name), qualified(o.table)));
      } else {
        add(fmt::format("{} SET GENERATED {}", alter, gen));
      }
    }
    if (to.default_expr && (default_changes || default_dropped))
      add(alter + " SET DEFAULT " + *to.default_expr);
    if (!to.not_null && from.not_null) add(alter + " DROP NOT NULL");
  }

  std::vector<DiffStatement>& out_;
};

}  // namespace

std::string function_signature(const Function& f) {
  if (f.kind == "aggregate")
    return fmt::format("AGGREGATE {}({})", qualified(f.name),
                       f.identity_args.empty() ? "*" : f.identity_args);
  if (f.kind == "operator")  // an operator's symbol is never quoted
    return fmt::format("OPERATOR {}.{} ({})", ident(f.name.schema), f.name.name, f.identity_args);
  return fmt::format("{} {}({})", f.kind == "procedure" ? "PROCEDURE" : "FUNCTION",
                     qualified(f.name), f.identity_args);
}

bool retypes(const ops::AlterColumn& o) {
  return o.from.type != o.to.type || o.from.collation != o.to.collation || o.rebuilt_type;
}

void render_statements(const ops::Operation& op, std::vector<DiffStatement>& out) {
  std::visit(Statements(out), op.op);
}

}  // namespace migrate::schema::postgres
