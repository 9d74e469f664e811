// DML inside function bodies and DO blocks: a CREATE FUNCTION whose body
// deletes every row runs that DELETE each time it is called; a DO block
// runs it now. BEGIN ATOMIC / RETURN bodies come parsed with the statement;
// LANGUAGE sql string bodies are parsed here; LANGUAGE plpgsql bodies go
// through libpg_query's PL/pgSQL parser, and each embedded SQL statement
// through the SQL parser. A body that does not parse is left alone (the
// server checks it when the function is created or called).
#include <fmt/format.h>
#include <pg_query.h>

#include <memory>

#include "lint/pg_rules.h"
#include "util/error.h"

namespace migrate::lint::pg {

namespace {

void check_sql_text(const Statement& s, const std::string& sql, const std::string& context) {
  Tree tree;
  try {
    tree = parse_tree(sql);
  } catch (const Error&) {
    return;
  }
  for (Value st : field(tree.root(), "stmts")) {
    Value node = field(st, "stmt");
    check_dml(s, body_of(node), kind_of(node), s.begin, context);
  }
}

// The PL/pgSQL body `body` wrapped as a function libpg_query can parse.
std::string as_function(const std::string& body) {
  std::string tag = "$lint$";
  while (body.find(tag) != std::string::npos) tag.insert(1, "x");
  return "CREATE FUNCTION lint_body() RETURNS void LANGUAGE plpgsql AS " + tag + body + tag;
}

void check_plpgsql(const Statement& s, const std::string& body, const std::string& context) {
  const std::string fn = as_function(body);
  PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(fn.c_str());
  std::unique_ptr<PgQueryPlpgsqlParseResult, void (*)(PgQueryPlpgsqlParseResult*)> guard(
      &r, [](PgQueryPlpgsqlParseResult* p) { pg_query_free_plpgsql_parse_result(*p); });
  if (r.error || !r.plpgsql_funcs) return;
  Tree funcs;
  try {
    funcs = read_tree(r.plpgsql_funcs);
  } catch (const Error&) {
    return;
  }
  walk(funcs.root(), [&](Value n) {
    if (kind_of(n) != "PLpgSQL_stmt_execsql") return;
    Value stmt = body_of(n);
    const std::string query = text(body_of(field(stmt, "sqlstmt")), "query");
    Value line = field(stmt, "lineno");
    check_sql_text(
        s, query,
        fmt::format("{}{}", context,
                    line.is_number_integer() ? fmt::format(" (line {} of the body)", line.integer())
                                             : std::string()));
  });
}

std::string option(Value options, const char* name) {
  for (Value o : options) {
    Value d = body_of(o);
    if (text(d, "defname") != name) continue;
    Value arg = field(d, "arg");
    if (kind_of(arg) == "String") return text(body_of(arg), "sval");
    if (kind_of(arg) == "List") {
      Value items = field(body_of(arg), "items");
      if (!items.empty()) return text(body_of(items[0]), "sval");
    }
  }
  return "";
}

}  // namespace

void check_function_body(const Statement& s, const std::string& /*sql*/) {
  if (s.kind == "CreateFunctionStmt") {
    const std::string name = last_name(field(s.body, "funcname"));
    const std::string context = " in the body of function " + name;
    Value atomic = field(s.body, "sql_body");
    if (!atomic.is_null()) {
      walk(atomic, [&](Value n) {
        const std::string_view k = kind_of(n);
        if (k == "DeleteStmt" || k == "UpdateStmt" || k == "MergeStmt")
          check_dml(s, body_of(n), k, s.begin, context);
      });
      return;
    }
    Value options = field(s.body, "options");
    const std::string language = option(options, "language");
    const std::string body = option(options, "as");
    if (body.empty()) return;
    if (language == "sql") check_sql_text(s, body, context);
    if (language == "plpgsql") check_plpgsql(s, body, context);
  } else if (s.kind == "DoStmt") {
    Value args = field(s.body, "args");
    std::string language = option(args, "language");
    if (language.empty()) language = "plpgsql";
    const std::string body = option(args, "as");
    if (language == "plpgsql" && !body.empty()) check_plpgsql(s, body, " in a DO block");
  }
}

}  // namespace migrate::lint::pg
