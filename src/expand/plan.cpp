#include "expand/plan.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "config/strict_yaml.h"
#include "util/error.h"
#include "util/file_io.h"

namespace migrate::expand {

namespace {

struct OpSpec {
  OpKind kind;
  const char* name;
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

const std::vector<OpSpec>& specs() {
  static const std::vector<OpSpec> kSpecs = {
      {OpKind::kRenameColumn, "rename_column", {"from", "to"}, {}},
      {OpKind::kChangeType, "change_type", {"column", "to", "type", "up"}, {"down"}},
      {OpKind::kSetNotNull, "set_not_null", {"column", "fill"}, {}},
      {OpKind::kAddColumn, "add_column", {"column", "type"}, {"not_null", "default"}},
      {OpKind::kDropColumn, "drop_column", {"column"}, {"down"}},
      {OpKind::kAddCheck, "add_check", {"name", "check"}, {}},
      {OpKind::kAddForeignKey, "add_foreign_key", {"name", "columns", "references"}, {}},
      {OpKind::kAddUnique, "add_unique", {"name", "columns"}, {}},
      {OpKind::kCreateIndex, "create_index", {"name", "columns"}, {"where", "unique"}},
  };
  return kSpecs;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class Reader {
 public:
  explicit Reader(Plan& plan) : plan_(plan) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& what) const {
    throw Error(plan_.at(n.Mark().line + 1) + ": " + what);
  }

  std::string scalar(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, "`" + key + "` must be a single value");
    return n.Scalar();
  }

  std::vector<std::string> names(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const auto& item : n) out.push_back(scalar(item, key));
    } else {
      fail(n, "`" + key + "` must be a column name or a list of them");
    }
    if (out.empty()) fail(n, "`" + key + "` names no column");
    return out;
  }

  PlanOp op(const YAML::Node& item) const {
    if (!item.IsMap() || item.size() != 1)
      fail(item,
           "each operation is one `name: {keys}` mapping (e.g. `- rename_column: {from: a, "
           "to: b}`)");
    const YAML::Node name_node = item.begin()->first;
    const YAML::Node body = item.begin()->second;
    const std::string name = name_node.Scalar();
    auto spec = std::find_if(specs().begin(), specs().end(),
                             [&](const OpSpec& s) { return name == s.name; });
    if (spec == specs().end()) {
      std::vector<std::string> known;
      for (const auto& s : specs()) known.emplace_back(s.name);
      fail(name_node, "unknown operation `" + name + "` (known: " + join(known) + ")");
    }
    PlanOp op;
    op.kind = spec->kind;
    op.line = name_node.Mark().line + 1;
    if (!body.IsMap()) fail(name_node, "`" + name + "` takes a mapping of keys");
    for (auto it = body.begin(); it != body.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node value = it->second;
      const bool known = std::count(spec->required.begin(), spec->required.end(), key) ||
                         std::count(spec->optional.begin(), spec->optional.end(), key);
      if (!known)
        fail(it->first, "unknown key `" + key + "` in " + name + " (keys: " + join(spec->required) +
                            (spec->optional.empty() ? "" : ", optional " + join(spec->optional)) +
                            ")");
      op.lines[key] = it->first.Mark().line + 1;
      if (key == "columns") {
        op.columns = names(value, key);
      } else if (key == "references") {
        if (!value.IsMap() || !value["table"] || !value["columns"])
          fail(value, "`references` must be {table: T, columns: [c, ...]}");
        op.ref_table = scalar(value["table"], "references.table");
        op.ref_columns = names(value["columns"], "references.columns");
      } else {
        if (value.IsNull() && key != "default") fail(value, "`" + key + "` is empty");
        op.values[key] = value.IsNull() ? "NULL" : scalar(value, key);
      }
    }
    for (const auto& key : spec->required)
      if (!op.lines.count(key))
        fail(name_node, std::string(name) + " needs `" + key + "`" +
                            (key == "up" ? " (the new column computed from the old row)" : ""));
    if (op.has("not_null") || op.has("unique")) {
      for (const char* key : {"not_null", "unique"}) {
        if (!op.has(key)) continue;
        const std::string v = op.get(key);
        if (v != "true" && v != "false")
          throw Error(plan_.at(op.line_of(key)) + ": `" + key + "` must be true or false");
      }
    }
    return op;
  }

 private:
  Plan& plan_;
};

}  // namespace

const char* op_name(OpKind kind) {
  for (const auto& s : specs())
    if (s.kind == kind) return s.name;
  return "";
}

std::string PlanOp::get(const std::string& key) const {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

int PlanOp::line_of(const std::string& key) const {
  auto it = lines.find(key);
  return it == lines.end() ? line : it->second;
}

bool PlanOp::flag(const std::string& key) const { return get(key) == "true"; }

Plan parse_plan(const std::string& text, const std::string& path) {
  Plan plan;
  plan.path = path;
  // The same strict reading as migrate.yaml and revision headers.
  YAML::Node root = config::load_yaml_strict(text, path, "bad YAML");
  Reader r(plan);
  if (!root.IsMap())
    throw Error(plan.at(1) + ": a plan is a mapping with `table` and `operations`");
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (key != "table" && key != "operations")
      r.fail(it->first, "unknown key `" + key + "` (a plan has `table` and `operations`)");
  }
  if (!root["table"]) throw Error(plan.at(1) + ": the plan names no `table`");
  const std::string table = r.scalar(root["table"], "table");
  plan.table_line = root["table"].Mark().line + 1;
  auto dot = table.find('.');
  if (dot == std::string::npos) {
    plan.table = table;
  } else {
    plan.schema = table.substr(0, dot);
    plan.table = table.substr(dot + 1);
  }
  if (plan.table.empty()) r.fail(root["table"], "`table` is empty");
  const YAML::Node ops = root["operations"];
  if (!ops || !ops.IsSequence() || ops.size() == 0)
    throw Error(plan.at(ops ? ops.Mark().line + 1 : plan.table_line) +
                ": `operations` must be a non-empty list");
  for (const auto& item : ops) plan.operations.push_back(r.op(item));
  return plan;
}

Plan read_plan(const std::string& path) { return parse_plan(util::read_file(path), path); }

}  // namespace migrate::expand
