#include "script/backfill_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "config/duration.h"
#include "util/error.h"

namespace migrate::script {

namespace {

class SpecReader {
 public:
  SpecReader(const std::string& path, int line) : where_(path + ":" + std::to_string(line)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(where_ + ": `backfill`: " + what);
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar() || node.Scalar().empty()) fail("`" + key + "` must be a non-empty value");
    return node.Scalar();
  }

  std::vector<std::string> names(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(scalar(node, key));
    } else if (node.IsSequence()) {
      for (const YAML::Node& item : node) out.push_back(scalar(item, key));
    } else {
      fail("`" + key + "` must be a column or a list of columns");
    }
    if (out.empty()) fail("`" + key + "` must name at least one column");
    return out;
  }

  std::chrono::milliseconds duration(const YAML::Node& node, const std::string& key) const {
    std::optional<double> ms;
    if (node.IsScalar()) ms = config::parse_duration(node.Scalar());
    if (!ms) fail(config::bad_duration_message(key, node.IsScalar() ? node.Scalar() : "?"));
    return std::chrono::milliseconds(static_cast<long long>(std::llround(*ms)));
  }

 private:
  std::string where_;
};

}  // namespace

BackfillSpec parse_backfill_spec(const std::string& yaml, const std::string& path, int line) {
  SpecReader r(path, line);
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    r.fail("bad YAML: " + e.msg);
  }
  if (!root.IsMap()) r.fail("must be a mapping (table, key, set, where, ...)");
  BackfillSpec spec;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node value = it->second;
    if (key == "table") {
      spec.table = r.scalar(value, key);
    } else if (key == "key") {
      spec.key = r.names(value, key);
    } else if (key == "set") {
      if (!value.IsMap()) r.fail("`set` must map each new column to an SQL expression");
      for (auto s = value.begin(); s != value.end(); ++s)
        spec.set.emplace_back(r.scalar(s->first, "set"), r.scalar(s->second, "set"));
    } else if (key == "copy_to") {
      spec.copy_to = r.scalar(value, key);
    } else if (key == "copy") {
      if (!value.IsMap()) r.fail("`copy` must map each column of copy_to to an SQL expression");
      for (auto s = value.begin(); s != value.end(); ++s)
        spec.copy.emplace_back(r.scalar(s->first, "copy"), r.scalar(s->second, "copy"));
    } else if (key == "where") {
      if (!value.IsNull()) spec.where = r.scalar(value, key);
    } else if (key == "batch_rows") {
      long long n = 0;
      try {
        n = value.as<long long>();
      } catch (const YAML::Exception&) {
        r.fail("`batch_rows` must be a whole number");
      }
      if (n < 1) r.fail("`batch_rows` must be at least 1");
      spec.batch_rows = n;
    } else if (key == "batch_time") {
      spec.batch_time = r.duration(value, key);
      if (spec.batch_time->count() < 1) r.fail("`batch_time` must be at least 1ms");
    } else if (key == "pause") {
      spec.pause = r.duration(value, key);
    } else {
      r.fail("unknown key `" + key +
             "` (known: table, key, set, where, copy_to, copy, batch_rows, batch_time, pause)");
    }
  }
  if (spec.table.empty()) r.fail("`table` is missing");
  if (spec.key.empty()) r.fail("`key` is missing (the primary key or a unique NOT NULL key)");
  if (spec.set.empty() && spec.copy.empty())
    r.fail("`set` is missing or empty (the columns to fill)");
  if (spec.copy.empty() != spec.copy_to.empty())
    r.fail("`copy` and `copy_to` go together (the table rows are copied to, and its columns)");
  for (const auto& k : spec.key)
    if (!spec.copy.empty() && std::none_of(spec.copy.begin(), spec.copy.end(),
                                           [&](const auto& c) { return c.first == k; }))
      r.fail("`copy` lacks the key column `" + k + "`");
  for (const auto& [column, expr] : spec.set) {
    if (std::find(spec.key.begin(), spec.key.end(), column) != spec.key.end())
      r.fail("`set` writes the key column `" + column + "`; the backfill never writes the key");
  }
  return spec;
}

}  // namespace migrate::script
