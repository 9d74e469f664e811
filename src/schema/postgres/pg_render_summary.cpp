// The PostgreSQL summary lines, warnings and data loss of each operation, and
// the Renderer that puts them together with the statements (pg_render.h).
#include <fmt/format.h>

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

const char* kind_name(ConstraintKind k) {
  switch (k) {
    case ConstraintKind::PrimaryKey:
      return "primary key";
    case ConstraintKind::Unique:
      return "unique constraint";
    case ConstraintKind::Check:
      return "check constraint";
    case ConstraintKind::ForeignKey:
      return "foreign key";
    case ConstraintKind::Exclusion:
      return "exclusion constraint";
  }
  return "constraint";
}

std::string label_list(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += (out.empty() ? "" : ", ") + literal(l);
  return out;
}

// "function public.f(integer)"
std::string function_name(const Function& f) {
  return fmt::format("{} {}({})", f.kind, display(f.name), f.identity_args);
}

const char* view_kind(const View& v) { return v.materialized ? "materialized view" : "view"; }

const QualifiedName& after(const QualifiedName& table_after, const QualifiedName& table) {
  return table_after.name.empty() ? table : table_after;
}

class Summary {
 public:
  explicit Summary(std::vector<std::string>& out) : out_(out) {}

  void operator()(const ops::SetRowSecurity& o) {
    if (o.from_enabled != o.to_enabled)
      add(fmt::format("{} row level security on {}", o.to_enabled ? "enable" : "disable",
                      display(o.table)));
    if (o.from_forced != o.to_forced)
      add(fmt::format("{} row level security on {}", o.to_forced ? "force" : "no longer force",
                      display(o.table)));
  }
  void operator()(const ops::CreatePolicy& o) {
    add(fmt::format("{} policy {} on {}", o.recreated ? "change" : "add", o.policy.name,
                    display(o.policy.table)));
  }
  void operator()(const ops::DropPolicy& o) {
    add(fmt::format("{} policy {} on {}", o.replaced ? "change" : "drop", o.policy.name,
                    display(o.policy.table)));
  }
  void operator()(const ops::CreateCollation& o) {
    add("add collation " + display(o.collation.name));
  }
  void operator()(const ops::DropCollation& o) {
    add("drop collation " + display(o.collation.name));
  }
  void operator()(const ops::CreateDomain& o) { add("add domain " + display(o.domain.name)); }
  void operator()(const ops::AlterDomain& o) { add("change domain " + display(o.to.name)); }
  void operator()(const ops::DropDomain& o) { add("drop domain " + display(o.domain.name)); }

  void operator()(const ops::CreateEventTrigger& o) {
    add((o.recreated ? "change event trigger " : "add event trigger ") + o.trigger.name);
  }
  void operator()(const ops::AlterEventTrigger& o) { add("change event trigger " + o.to.name); }
  void operator()(const ops::DropEventTrigger& o) {
    add((o.replaced ? "change event trigger " : "drop event trigger ") + o.trigger.name);
  }
  void operator()(const ops::CreatePublication& o) {
    add((o.recreated ? "change publication " : "add publication ") + o.publication.name);
  }
  void operator()(const ops::AlterPublication& o) { add("change publication " + o.to.name); }
  void operator()(const ops::DropPublication& o) {
    add((o.replaced ? "change publication " : "drop publication ") + o.publication.name);
  }

  void operator()(const ops::CreateCompositeType& o) { add("add type " + display(o.type.name)); }
  void operator()(const ops::AlterCompositeType& o) { add("change type " + display(o.to.name)); }
  void operator()(const ops::DropCompositeType& o) { add("drop type " + display(o.type.name)); }
  void operator()(const ops::CreateRangeType& o) {
    add((o.recreated ? "change type " : "add type ") + display(o.type.name));
  }
  void operator()(const ops::CommentRangeType& o) { add("change type " + display(o.type.name)); }
  void operator()(const ops::SetOwner& o) { add(privilege_summary(o)); }
  void operator()(const ops::ChangePrivileges& o) { add(privilege_summary(o)); }
  void operator()(const ops::DropRangeType& o) {
    add((o.replaced ? "change type " : "drop type ") + display(o.type.name));
  }

  void operator()(const ops::CreateSchema& o) { add("add schema " + o.name); }
  void operator()(const ops::DropSchema& o) { add("drop schema " + o.name); }
  void operator()(const ops::CreateExtension& o) { add("add extension " + o.extension.name); }
  void operator()(const ops::AlterExtension& o) {
    if (o.from.schema != o.to.schema)
      add(fmt::format("move extension {} to schema {}", o.to.name, o.to.schema));
    if (o.from.version != o.to.version && o.no_update_path)
      add(fmt::format("extension {} stays at version {}: no update path to {}", o.to.name,
                      o.from.version, o.to.version));
    else if (o.from.version != o.to.version)
      add(fmt::format("update extension {} from {} to {}", o.to.name, o.from.version,
                      o.to.version));
  }
  void operator()(const ops::DropExtension& o) { add("drop extension " + o.extension.name); }

  void operator()(const ops::CreateEnum& o) {
    const std::string name = display(o.type.name);
    if (!o.rebuild) return add("add enum " + name);
    const ops::EnumRebuild& r = *o.rebuild;
    std::string why = !r.removed.empty()      ? "it loses value(s) " + label_list(r.removed)
                      : !r.used_label.empty() ? "new value " + literal(r.used_label) +
                                                    " is used by the same script, which ADD "
                                                    "VALUE forbids"
                                              : "its labels are reordered";
    add(fmt::format("rebuild enum {} ({})", name, why));
  }
  void operator()(const ops::AddEnumValue& o) {
    add(fmt::format("add value '{}' to enum {}", o.label, display(o.type)));
  }
  void operator()(const ops::RenameEnum& o) {
    add(fmt::format("rename enum {} to {}", display(o.type), o.new_name));
  }
  void operator()(const ops::DropEnum& o) { add("drop enum " + display(o.type)); }

  void operator()(const ops::CreateSequence& o) { add("add sequence " + display(o.sequence.name)); }
  void operator()(const ops::AlterSequence& o) { add("alter sequence " + display(o.to.name)); }
  void operator()(const ops::SetSequenceOwner& o) {
    add("change the owner of sequence " + display(o.sequence));
  }
  void operator()(const ops::DropSequence& o) {
    add("drop sequence " + display(o.sequence.name) + (o.with_column ? " (with its column)" : ""));
  }

  void operator()(const ops::CreateFunction& o) {
    if (o.recreates)
      add("recreate " + function_name(o.function) + " (its signature changes)");
    else
      add((o.replaces_body ? "replace the body of " : "add ") + function_name(o.function));
  }
  void operator()(const ops::DropFunction& o) {
    add((o.recreated ? "drop (to recreate) " : "drop ") + function_name(o.function));
  }

  void operator()(const ops::CreateTable& o) { add("add table " + display(o.table.name)); }
  void operator()(const ops::DropTable& o) { add("drop table " + display(o.table.name)); }
  void operator()(const ops::RenameTable& o) {
    add(fmt::format("rename table {} to {}", display(o.from), display(o.to)));
  }
  void operator()(const ops::AddColumn& o) {
    const std::string what = display(o.table) + "." + o.column.name;
    add(o.replaces ? "change the generated expression of column " + what : "add column " + what);
  }
  void operator()(const ops::DropColumn& o) {
    if (!o.replaced) add(fmt::format("drop column {}.{}", display(o.table), o.column.name));
  }
  void operator()(const ops::RenameColumn& o) {
    add(fmt::format("rename column {}.{} to {}", display(o.table), o.from, o.to));
  }
  void operator()(const ops::AlterColumn& o) {
    const Column &from = o.from, &to = o.to;
    const std::string what = display(o.table) + "." + to.name;
    if (!from.identity.empty() && to.identity.empty()) add("drop identity from column " + what);
    if (retypes(o)) {
      if (from.type != to.type)
        add(fmt::format("change the type of column {} from {} to {}", what, from.type, to.type));
      if (from.collation != to.collation)
        add(fmt::format("change the collation of column {} to {}", what,
                        to.collation.empty() ? "the default" : to.collation));
    }
    if (to.not_null && !from.not_null) add("make column " + what + " NOT NULL");
    if (!to.identity.empty() && to.identity != from.identity)
      add(fmt::format("make column {} an identity column (generated {})", what, to.identity));
    if (from.default_expr != to.default_expr)
      add(to.default_expr
              ? fmt::format("set the default of column {} to {}", what, *to.default_expr)
              : "drop the default of column " + what);
    if (!to.not_null && from.not_null) add("make column " + what + " nullable");
  }

  void operator()(const ops::AddConstraint& o) {
    add(fmt::format("add {} {} to {}", kind_name(o.constraint.kind), o.constraint.name,
                    display(o.table)));
  }
  void operator()(const ops::ValidateConstraint& o) {
    add(fmt::format("validate constraint {} of {}", o.name, display(o.table)));
  }
  void operator()(const ops::DropConstraint& o) {
    add(fmt::format("{} {} {} of {}", o.replacement ? "change" : "drop",
                    kind_name(o.constraint.kind), o.constraint.name,
                    display(after(o.table_after, o.table))));
  }
  void operator()(const ops::CreateIndex& o) {
    add(fmt::format("add index {} {} {}", o.index.name, o.on_view ? "of" : "to",
                    display(o.index.table)));
  }
  void operator()(const ops::DropIndex& o) {
    add(fmt::format("{} index {} of {}", o.replacement ? "change" : "drop", o.index.name,
                    display(after(o.table_after, o.index.table))));
  }
  void operator()(const ops::RebuildTable& o) { add("rebuild table " + display(o.to.name)); }

  void operator()(const ops::CreateView& o) {
    const View& v = o.view;
    if (!o.recreate) return add(fmt::format("add {} {}", view_kind(v), display(v.name)));
    std::string why;
    switch (o.recreate->cause) {
      case ops::ViewRecreate::Cause::kDefinition:
        why = "its definition changes";
        break;
      case ops::ViewRecreate::Cause::kTable:
        why = "table " + display(o.recreate->object) + " changes under it";
        break;
      case ops::ViewRecreate::Cause::kView:
        why = "view " + display(o.recreate->object) + " is recreated";
        break;
      case ops::ViewRecreate::Cause::kFunction:
        why = "function " + display(o.recreate->object) + " it calls is recreated";
        break;
    }
    add(fmt::format("recreate {} {} ({})", view_kind(v), display(v.name), why));
  }
  void operator()(const ops::DropView& o) {
    add(fmt::format("drop {} {}", view_kind(o.view), display(o.view.name)));
  }
  void operator()(const ops::CreateTrigger& o) {
    add(fmt::format("{} trigger {} on {}", o.recreated ? "recreate" : "add", o.trigger.name,
                    display(o.trigger.table)));
  }
  void operator()(const ops::DropTrigger& o) {
    add(fmt::format("drop trigger {} on {}", o.trigger.name, display(o.trigger.table)));
  }
  void operator()(const ops::Comment& o) {
    using On = ops::Comment::On;
    const std::string object = display(o.object);
    switch (o.on) {
      case On::kTable:
        return add("comment on table " + object);
      case On::kColumn:
        return add("comment on column " + object + "." + o.member);
      case On::kConstraint:
        return add(fmt::format("comment on constraint {} of {}", o.member, object));
      case On::kIndex:
        return add(fmt::format("comment on index {} of {}", o.member, object));
      case On::kView:
      case On::kMaterializedView:
        return add("comment on view " + object);
      case On::kEnum:
        return add("comment on enum " + object);
      case On::kFunction:
        return add(fmt::format("comment on function {}({})", object, o.args));
      case On::kProcedure:
        return add(fmt::format("comment on procedure {}({})", object, o.args));
    }
  }

  void operator()(const ops::SetLogged& o) {
    add(fmt::format("set table {} {}", display(o.table), o.unlogged ? "unlogged" : "logged"));
  }
  void operator()(const ops::SetRelationOptions& o) {
    add(fmt::format("change storage options of {} {} ({})",
                    util::to_lower(ops::relation_keyword(o.kind)), display(o.relation),
                    o.to.empty() ? "none" : util::join(o.to, ", ")));
  }
  void operator()(const ops::SetStatistics& o) {
    const std::string target = o.target < 0 ? "default" : std::to_string(o.target);
    if (o.index.empty())
      add(fmt::format("set statistics of column {}.{} to {}", display(o.table), o.column, target));
    else
      add(fmt::format("set statistics of column {} of index {} of {} to {}", o.index_column,
                      o.index, display(o.table), target));
  }
  void operator()(const ops::AttachChild& o) {
    add(o.partition
            ? fmt::format("attach partition {} to {}", display(o.child), display(o.parent))
            : fmt::format("make table {} inherit from {}", display(o.child), display(o.parent)));
  }
  void operator()(const ops::DetachChild& o) {
    add(o.partition
            ? fmt::format("detach partition {} from {}", display(o.child), display(o.parent))
            : fmt::format("make table {} no longer inherit from {}", display(o.child),
                          display(o.parent)));
  }
  void operator()(const ops::InheritColumn& o) {
    const std::string what = display(o.table) + "." + o.from.name;
    using Step = ops::InheritColumn::Step;
    switch (o.step) {
      case Step::kPark:
        return add(fmt::format("make column {} inherited only from {} (its values are kept)", what,
                               display(o.parent)));
      case Step::kCopy:
        return add(fmt::format("copy the values of column {} into the column {} adds", what,
                               display(o.parent)));
      case Step::kDrop:
        return add(fmt::format("drop column {}.{} (the values it kept aside)", display(o.table),
                               o.parked));
    }
  }

 private:
  void add(std::string line) { out_.push_back(std::move(line)); }
  std::vector<std::string>& out_;
};

class PostgresRenderer : public Renderer {
 public:
  void statements(const ops::Operation& op, std::vector<DiffStatement>& out) const override {
    render_statements(op, out);
  }
  void summary(const ops::Operation& op, std::vector<std::string>& out) const override {
    std::visit(Summary(out), op.op);
  }
  void warnings(const ops::Operation& op, std::vector<std::string>& out) const override {
    if (const auto* x = std::get_if<ops::AlterExtension>(&op.op); x && x->no_update_path)
      out.push_back(fmt::format(
          "extension {} is left at version {}: the server has no update path to {} (a "
          "downgrade?); to change it, drop the extension and create it at that version by hand",
          x->to.name, x->from.version, x->to.version));
    if (const auto* x = std::get_if<ops::InheritColumn>(&op.op);
        x && x->step == ops::InheritColumn::Step::kCopy)
      out.push_back(fmt::format(
          "column {}.{} becomes inherited only from {}: an UPDATE rewrites every row of {} and "
          "of the tables inheriting from it to copy its values into the inherited column{}",
          display(x->table), x->from.name, display(x->parent), display(x->table),
          x->from.type != x->to.type
              ? " (converted from " + x->from.type + " to " + x->to.type + ")"
              : ""));
    const auto* add = std::get_if<ops::AddColumn>(&op.op);
    if (!add) return;
    const Column& c = add->column;
    if (c.not_null && !c.default_expr && c.identity.empty() && c.generated.empty())
      out.push_back(
          fmt::format("column {}.{} is added NOT NULL without a default: this fails "
                      "when the table has rows",
                      display(add->table), c.name));
  }
  ops::Loss data_loss(const ops::Operation& op) const override { return postgres::data_loss(op); }
};

}  // namespace

ops::Loss alter_column_loss(const ops::AlterColumn& o) {
  if (!retypes(o)) return ops::Loss::kNone;
  if (o.rebuilt_type)
    return o.rebuilt_type_loses_labels ? ops::Loss::kEnumLabels : ops::Loss::kNone;
  return narrowing(o.from.type, o.to.type) ? ops::Loss::kNarrowing : ops::Loss::kNone;
}

ops::Loss inherit_column_loss(const ops::InheritColumn& o) {
  if (o.step != ops::InheritColumn::Step::kCopy || o.from.type == o.to.type)
    return ops::Loss::kNone;
  return narrowing(o.from.type, o.to.type) ? ops::Loss::kNarrowing : ops::Loss::kNone;
}

ops::Loss data_loss(const ops::Operation& op) {
  if (std::holds_alternative<ops::DropTable>(op.op)) return ops::Loss::kTableRows;
  if (std::holds_alternative<ops::DropExtension>(op.op)) return ops::Loss::kExtensionObjects;
  if (const auto* d = std::get_if<ops::DropColumn>(&op.op)) {
    if (!d->replaced) return ops::Loss::kColumnData;
    return d->column.generated.empty() ? ops::Loss::kColumnReplaced : ops::Loss::kNone;
  }
  if (const auto* d = std::get_if<ops::DropEnum>(&op.op))
    return d->removed_labels.empty() ? ops::Loss::kNone : ops::Loss::kEnumLabels;
  if (const auto* a = std::get_if<ops::AlterColumn>(&op.op)) return alter_column_loss(*a);
  if (const auto* i = std::get_if<ops::InheritColumn>(&op.op)) return inherit_column_loss(*i);
  return ops::Loss::kNone;
}

const Renderer& renderer() {
  static const PostgresRenderer instance;
  return instance;
}

}  // namespace migrate::schema::postgres
