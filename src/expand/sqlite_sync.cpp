#include "expand/sqlite_sync.h"

#include <fmt/format.h>

#include "expand/expression.h"
#include "sql/sqlite/text.h"

namespace migrate::expand {

namespace {

using sql::sqlite::quote_ident;

// `expr` over the row the trigger fired for.
std::string row(const Change& c, const std::string& expr) {
  return "(" + qualify_columns(expr, "NEW", c.columns) + ")";
}

std::string at(const std::string& prefix, const std::string& column) {
  return prefix + "." + quote_ident(column);
}

// `pair`'s new column is not up(row).
std::string out_of_step(const Change& c, const Pair& p) {
  return at("NEW", p.to.name) + " IS NOT " + row(c, p.up);
}

std::string key_match(const Change& c) {
  std::string where;
  for (const auto& k : c.key)
    where += (where.empty() ? "" : " AND ") + quote_ident(k) + " = " + at("NEW", k);
  return where;
}

std::string any(const std::vector<std::string>& conditions) {
  std::string out;
  for (const auto& w : conditions) out += (out.empty() ? "" : "\n   OR ") + w;
  return out;
}

// The trigger: WHEN any condition, one UPDATE of the row with `sets`.
std::string trigger(const Change& c, const std::string& name, const std::string& event,
                    const std::vector<std::string>& when, const std::vector<std::string>& sets) {
  std::string set;
  for (const auto& s : sets) set += (set.empty() ? "" : ",\n      ") + s;
  return fmt::format(
      "CREATE TRIGGER {} AFTER {} ON {} FOR EACH ROW\nWHEN {}\nBEGIN\n"
      "  -- Written by `migrate revision --expand-contract` (docs/zero-downtime.md): keeps the\n"
      "  -- old and the new columns equal while both versions run. Dropped by the contract.\n"
      "  UPDATE {} SET {}\n  WHERE {};\nEND",
      quote_ident(name), event, quote_ident(c.table.name.name), any(when),
      quote_ident(c.table.name.name), set, key_match(c));
}

std::string down_of(const Change& c, const Pair& p) {
  return p.down.empty() ? "NULL" : row(c, p.down);
}

// A NULL in a column that gets a value anyway (set_not_null's fill, an
// added column's volatile default): when, and the assignment.
void fill(const Change& c, const std::string& column, const std::string& value,
          std::vector<std::string>& when, std::vector<std::string>& sets) {
  const std::string col = quote_ident(column);
  when.push_back(at("NEW", column) + " IS NULL");
  sets.push_back(fmt::format("{} = COALESCE({}, {})", col, col, row(c, value)));
}

}  // namespace

std::vector<SqliteTrigger> sqlite_sync_triggers(const Change& c) {
  std::vector<SqliteTrigger> out;
  const std::string base = "migrate_sync_" + c.table.name.name;
  const std::string insert = base + "_insert", update = base + "_update";
  std::vector<std::string> when, sets;
  for (const auto& p : c.pairs) {
    const std::string to = at("NEW", p.to.name), from = quote_ident(p.from.name);
    when.push_back(out_of_step(c, p));
    // The new version wrote `to` (not NULL, out of step): old := down(row).
    sets.push_back(fmt::format("{} = CASE WHEN {} IS NOT NULL AND {} THEN {} ELSE {} END", from, to,
                               out_of_step(c, p), down_of(c, p), from));
    sets.push_back(fmt::format("{} = CASE WHEN {} IS NULL THEN {} ELSE {} END",
                               quote_ident(p.to.name), to, row(c, p.up), quote_ident(p.to.name)));
  }
  for (const auto& d : c.dropped) {
    if (d.down.empty()) continue;
    const std::string col = quote_ident(d.column.name);
    when.push_back(at("NEW", d.column.name) + " IS NULL");
    sets.push_back(fmt::format("{} = COALESCE({}, {})", col, col, row(c, d.down)));
  }
  for (const auto& f : c.fills) fill(c, f.column, f.fill, when, sets);
  for (const auto& a : c.added)
    if (a.volatile_default && !a.column.not_null)  // NOT NULL ones are fills
      fill(c, a.column.name, *a.column.default_expr, when, sets);
  if (!when.empty()) out.push_back({insert, trigger(c, insert, "INSERT", when, sets)});

  when.clear();
  sets.clear();
  for (const auto& p : c.pairs) {
    const std::string changed = at("NEW", p.to.name) + " IS NOT " + at("OLD", p.to.name);
    const std::string from = quote_ident(p.from.name), to = quote_ident(p.to.name);
    when.push_back(out_of_step(c, p));
    sets.push_back(fmt::format("{} = CASE WHEN {} AND {} THEN {} ELSE {} END", from, changed,
                               out_of_step(c, p), down_of(c, p), from));
    sets.push_back(fmt::format("{} = CASE WHEN NOT ({}) AND {} THEN {} ELSE {} END", to, changed,
                               out_of_step(c, p), row(c, p.up), to));
  }
  for (const auto& f : c.fills) fill(c, f.column, f.fill, when, sets);
  if (!when.empty()) out.push_back({update, trigger(c, update, "UPDATE", when, sets)});
  return out;
}

}  // namespace migrate::expand
