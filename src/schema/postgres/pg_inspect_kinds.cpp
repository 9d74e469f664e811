#include "schema/postgres/pg_inspect_kinds.h"

#include <fmt/format.h>

#include "schema/postgres/pg_catalog_queries.h"
#include "schema/postgres/pg_quote.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
bool flag(const pqxx::field& f) { return !f.is_null() && f.c_str()[0] == 't'; }

const char* command_of(const std::string& polcmd) {
  if (polcmd == "r") return "SELECT";
  if (polcmd == "a") return "INSERT";
  if (polcmd == "w") return "UPDATE";
  if (polcmd == "d") return "DELETE";
  return "ALL";
}

// `OPERATOR(public.===)` for an operator named by regoper's text when it is
// qualified (COMMUTATOR and NEGATOR take a name, not a string).
std::string operator_ref(const std::string& regoper) {
  return regoper.find('.') == std::string::npos ? regoper : "OPERATOR(" + regoper + ")";
}

}  // namespace

void add_row_security(const pqxx::result& flags, const pqxx::result& policies,
                      const std::function<Table*(const std::string& oid)>& table_of) {
  for (const auto& r : flags)
    if (Table* t = table_of(text(r[0]))) {
      t->row_security = flag(r[1]);
      t->force_row_security = flag(r[2]);
    }
  for (const auto& r : policies) {
    Table* t = table_of(text(r[0]));
    if (!t) continue;
    Policy p;
    p.name = text(r[1]);
    p.table = t->name;
    p.permissive = flag(r[2]);
    p.command = command_of(text(r[3]));
    if (!r[4].is_null()) p.roles = util::split(text(r[4]), queries::kListSeparator);
    p.using_expr = text(r[5]);
    p.check_expr = text(r[6]);
    t->policies.push_back(std::move(p));
  }
}

std::vector<Collation> collations_of(const pqxx::result& rows) {
  std::vector<Collation> out;
  for (const auto& r : rows) {
    Collation c;
    c.name = {text(r[0]), text(r[1])};
    const std::string provider = text(r[2]);
    c.provider = provider == "i" ? "icu" : provider == "c" ? "libc" : "default";
    c.locale = text(r[5]);
    if (c.provider == "icu" && c.locale.empty()) c.locale = text(r[3]);  // 13, 14
    if (c.provider != "icu") {
      c.lc_collate = text(r[3]);
      c.lc_ctype = text(r[4]);
    }
    c.deterministic = flag(r[6]);
    c.comment = text(r[7]);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Domain> domains_of(const pqxx::result& rows) {
  std::vector<Domain> out;
  for (const auto& r : rows) {
    Domain d;
    d.name = {text(r[0]), text(r[1])};
    d.type = text(r[2]);
    d.not_null = flag(r[3]);
    if (!r[4].is_null()) d.default_expr = text(r[4]);
    d.collation = text(r[5]);
    d.comment = text(r[6]);
    if (!r[7].is_null())
      for (const auto& item : util::split(text(r[7]), queries::kListSeparator)) {
        const auto sep = item.find('\x1e');
        Constraint k;
        k.kind = ConstraintKind::Check;
        k.name = item.substr(0, sep);
        k.definition = sep == std::string::npos ? "" : item.substr(sep + 1);
        d.constraints.push_back(std::move(k));
      }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<CompositeType> composite_types_of(const pqxx::result& rows) {
  std::vector<CompositeType> out;
  for (const auto& r : rows) {
    QualifiedName name{text(r[0]), text(r[1])};
    if (out.empty() || out.back().name != name) {
      out.emplace_back();
      out.back().name = name;
      out.back().comment = text(r[2]);
    }
    if (r[3].is_null()) continue;  // no attribute
    Column a;
    a.name = text(r[3]);
    a.type = text(r[4]);
    a.collation = text(r[5]);
    out.back().attributes.push_back(std::move(a));
  }
  return out;
}

std::vector<RangeType> range_types_of(const pqxx::result& rows) {
  std::vector<RangeType> out;
  for (const auto& r : rows) {
    RangeType t;
    t.name = {text(r[0]), text(r[1])};
    t.comment = text(r[2]);
    std::vector<std::string> options = {"SUBTYPE = " + text(r[3])};
    const char* keys[] = {"SUBTYPE_OPCLASS", "COLLATION", "CANONICAL", "SUBTYPE_DIFF",
                          "MULTIRANGE_TYPE_NAME"};
    for (int i = 0; i < 5; ++i)
      if (!r[4 + i].is_null()) options.push_back(std::string(keys[i]) + " = " + text(r[4 + i]));
    t.options = util::join(options, ", ");
    out.push_back(std::move(t));
  }
  return out;
}

// CREATE AGGREGATE on one line: any change to it drops and creates the
// aggregate again (the differ recreates a function whose first line changes).
void add_aggregates(const pqxx::result& rows, std::vector<Function>& functions,
                    std::unordered_map<std::string, std::size_t>& by_oid) {
  for (const auto& r : rows) {
    Function f;
    f.kind = "aggregate";
    f.name = {text(r[0]), text(r[1])};
    f.identity_args = text(r[2]);
    std::vector<std::string> parts = {"SFUNC = " + text(r[4]), "STYPE = " + text(r[5])};
    auto opt = [&](const char* key, const pqxx::field& v) {
      if (!v.is_null() && !text(v).empty()) parts.push_back(fmt::format("{} = {}", key, text(v)));
    };
    auto opt_literal = [&](const char* key, const pqxx::field& v) {
      if (!v.is_null()) parts.push_back(fmt::format("{} = {}", key, literal(text(v))));
    };
    auto modify = [&](const char* key, const std::string& m) {
      if (m == "s") parts.push_back(std::string(key) + " = SHAREABLE");
      if (m == "w") parts.push_back(std::string(key) + " = READ_WRITE");
    };
    if (text(r[6]) != "0") opt("SSPACE", r[6]);
    opt("FINALFUNC", r[7]);
    if (flag(r[8])) parts.push_back("FINALFUNC_EXTRA");
    if (!r[7].is_null()) modify("FINALFUNC_MODIFY", text(r[9]));
    opt("COMBINEFUNC", r[10]);
    opt("SERIALFUNC", r[11]);
    opt("DESERIALFUNC", r[12]);
    opt_literal("INITCOND", r[13]);
    opt("MSFUNC", r[14]);
    opt("MINVFUNC", r[15]);
    opt("MSTYPE", r[16]);
    if (!r[16].is_null() && text(r[17]) != "0") opt("MSSPACE", r[17]);
    opt("MFINALFUNC", r[18]);
    if (flag(r[19])) parts.push_back("MFINALFUNC_EXTRA");
    if (!r[18].is_null()) modify("MFINALFUNC_MODIFY", text(r[20]));
    opt_literal("MINITCOND", r[21]);
    if (!r[22].is_null()) parts.push_back("SORTOP = " + operator_ref(text(r[22])));
    const std::string parallel = text(r[23]);
    if (parallel == "s") parts.push_back("PARALLEL = SAFE");
    if (parallel == "r") parts.push_back("PARALLEL = RESTRICTED");
    const std::string args = text(r[3]);
    f.definition = fmt::format("CREATE AGGREGATE {}({}) ({})", qualified(f.name),
                               args.empty() ? "*" : args, util::join(parts, ", "));
    by_oid[text(r[24])] = functions.size();
    functions.push_back(std::move(f));
  }
}

void add_operators(const pqxx::result& rows, std::vector<Function>& functions,
                   std::unordered_map<std::string, std::size_t>& by_oid) {
  for (const auto& r : rows) {
    Function f;
    f.kind = "operator";
    f.name = {text(r[0]), text(r[1])};
    const std::string left = text(r[2]), right = text(r[3]);
    f.identity_args = (left.empty() ? "NONE" : left) + ", " + (right.empty() ? "NONE" : right);
    std::vector<std::string> parts = {"FUNCTION = " + text(r[4])};
    if (!left.empty()) parts.push_back("LEFTARG = " + left);
    if (!right.empty()) parts.push_back("RIGHTARG = " + right);
    if (!r[5].is_null()) parts.push_back("COMMUTATOR = " + operator_ref(text(r[5])));
    if (!r[6].is_null()) parts.push_back("NEGATOR = " + operator_ref(text(r[6])));
    if (!r[7].is_null()) parts.push_back("RESTRICT = " + text(r[7]));
    if (!r[8].is_null()) parts.push_back("JOIN = " + text(r[8]));
    if (flag(r[9])) parts.push_back("HASHES");
    if (flag(r[10])) parts.push_back("MERGES");
    f.definition = fmt::format("CREATE OPERATOR {}.{} ({})", ident(f.name.schema), f.name.name,
                               util::join(parts, ", "));
    by_oid[text(r[11])] = functions.size();
    functions.push_back(std::move(f));
  }
}

}  // namespace migrate::schema::postgres
