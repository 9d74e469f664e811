// The statements and summary lines of owners and privileges (pg_render.h).
#include <fmt/format.h>

#include <map>

#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

// An item "GRANTEE PRIVILEGE[*]" (model.h: Privileges) as (role as SQL
// names it, privilege, grant option).
struct Item {
  std::string grantee, privilege;
  bool grantable = false;
};

Item parse(const std::string& item, const std::string& owner) {
  Item i;
  const auto space = item.rfind(' ');
  i.grantee = item.substr(0, space);
  i.privilege = item.substr(space + 1);
  if (!i.privilege.empty() && i.privilege.back() == '*') {
    i.grantable = true;
    i.privilege.pop_back();
  }
  if (i.grantee == "=owner") i.grantee = owner;
  return i;
}

// One statement per grantee (and grant option): "SELECT, INSERT".
std::map<std::pair<std::string, bool>, std::vector<std::string>> by_grantee(
    const std::vector<std::string>& items, const std::string& owner, bool keep_option) {
  std::map<std::pair<std::string, bool>, std::vector<std::string>> out;
  for (const auto& s : items) {
    Item i = parse(s, owner);
    out[{i.grantee, keep_option && i.grantable}].push_back(i.privilege);
  }
  return out;
}

std::string privilege_list(const std::vector<std::string>& privileges, const std::string& column) {
  std::string out;
  for (const auto& p : privileges)
    out += (out.empty() ? "" : ", ") + p + (column.empty() ? "" : " (" + column + ")");
  return out;
}

std::string column_sql(const Privileges& p) {
  // Column names are quoted as identifiers; the inspected name is raw.
  if (p.column.empty()) return "";
  std::string q = "\"";
  for (char c : p.column) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::vector<std::string> privilege_sql(const ops::SetOwner& op) {
  return {fmt::format("ALTER {} {} OWNER TO {}", op.object.alter_kind, op.object.target,
                      op.object.owner)};
}

std::vector<std::string> privilege_sql(const ops::ChangePrivileges& op) {
  const Privileges& p = op.object;
  const std::string column = column_sql(p);
  std::vector<std::string> out;
  // Revoking a privilege takes its grant option too: revokes first.
  for (const auto& [who, privileges] : by_grantee(op.revoke, p.owner, false))
    out.push_back(fmt::format("REVOKE {} ON {} {} FROM {}", privilege_list(privileges, column),
                              p.kind, p.target, who.first));
  for (const auto& [who, privileges] : by_grantee(op.grant, p.owner, true))
    out.push_back(fmt::format("GRANT {} ON {} {} TO {}{}", privilege_list(privileges, column),
                              p.kind, p.target, who.first, who.second ? " WITH GRANT OPTION" : ""));
  return out;
}

std::string privilege_summary(const ops::SetOwner& op) {
  return fmt::format("change the owner of {} {} to {}", util::to_lower(op.object.alter_kind),
                     op.object.target, op.object.owner);
}

std::string privilege_summary(const ops::ChangePrivileges& op) {
  const Privileges& p = op.object;
  std::string what;
  if (!op.grant.empty()) what += "grant " + util::join(op.grant, ", ");
  if (!op.revoke.empty())
    what += std::string(what.empty() ? "" : "; ") + "revoke " + util::join(op.revoke, ", ");
  return fmt::format("change privileges on {} {}{}: {}", util::to_lower(p.kind), p.target,
                     p.column.empty() ? "" : " column " + p.column, what);
}

}  // namespace migrate::schema::postgres
