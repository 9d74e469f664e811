#include "schema/postgres/pg_quote.h"

#include <algorithm>
#include <iterator>

#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

// PostgreSQL 15's keywords that are not UNRESERVED (pg_get_keywords() with
// catcode <> 'U'): quote_ident() quotes these. Sorted for binary search.
const char* const kQuotedKeywords[] = {"all",
                                       "analyse",
                                       "analyze",
                                       "and",
                                       "any",
                                       "array",
                                       "as",
                                       "asc",
                                       "asymmetric",
                                       "authorization",
                                       "between",
                                       "bigint",
                                       "binary",
                                       "bit",
                                       "boolean",
                                       "both",
                                       "case",
                                       "cast",
                                       "char",
                                       "character",
                                       "check",
                                       "coalesce",
                                       "collate",
                                       "collation",
                                       "column",
                                       "concurrently",
                                       "constraint",
                                       "create",
                                       "cross",
                                       "current_catalog",
                                       "current_date",
                                       "current_role",
                                       "current_schema",
                                       "current_time",
                                       "current_timestamp",
                                       "current_user",
                                       "dec",
                                       "decimal",
                                       "default",
                                       "deferrable",
                                       "desc",
                                       "distinct",
                                       "do",
                                       "else",
                                       "end",
                                       "except",
                                       "exists",
                                       "extract",
                                       "false",
                                       "fetch",
                                       "float",
                                       "for",
                                       "foreign",
                                       "freeze",
                                       "from",
                                       "full",
                                       "grant",
                                       "greatest",
                                       "group",
                                       "grouping",
                                       "having",
                                       "ilike",
                                       "in",
                                       "initially",
                                       "inner",
                                       "inout",
                                       "int",
                                       "integer",
                                       "intersect",
                                       "interval",
                                       "into",
                                       "is",
                                       "isnull",
                                       "join",
                                       "lateral",
                                       "leading",
                                       "least",
                                       "left",
                                       "like",
                                       "limit",
                                       "localtime",
                                       "localtimestamp",
                                       "national",
                                       "natural",
                                       "nchar",
                                       "none",
                                       "normalize",
                                       "not",
                                       "notnull",
                                       "null",
                                       "nullif",
                                       "numeric",
                                       "offset",
                                       "on",
                                       "only",
                                       "or",
                                       "order",
                                       "out",
                                       "outer",
                                       "overlaps",
                                       "overlay",
                                       "placing",
                                       "position",
                                       "precision",
                                       "primary",
                                       "real",
                                       "references",
                                       "returning",
                                       "right",
                                       "row",
                                       "select",
                                       "session_user",
                                       "setof",
                                       "similar",
                                       "smallint",
                                       "some",
                                       "substring",
                                       "symmetric",
                                       "table",
                                       "tablesample",
                                       "then",
                                       "time",
                                       "timestamp",
                                       "to",
                                       "trailing",
                                       "treat",
                                       "trim",
                                       "true",
                                       "union",
                                       "unique",
                                       "user",
                                       "using",
                                       "values",
                                       "varchar",
                                       "variadic",
                                       "verbose",
                                       "when",
                                       "where",
                                       "window",
                                       "with",
                                       "xmlattributes",
                                       "xmlconcat",
                                       "xmlelement",
                                       "xmlexists",
                                       "xmlforest",
                                       "xmlnamespaces",
                                       "xmlparse",
                                       "xmlpi",
                                       "xmlroot",
                                       "xmlserialize",
                                       "xmltable"};

bool is_quoted_keyword(const std::string& s) {
  return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), s,
                            [](const std::string& a, const std::string& b) { return a < b; });
}

}  // namespace

std::string ident(const std::string& name) {
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  if (plain && !is_quoted_keyword(name)) return name;
  return util::quote_doubled(name, '"');
}

std::string qualified(const QualifiedName& name) {
  return ident(name.schema) + "." + ident(name.name);
}

std::string literal(const std::string& text) { return util::quote_doubled(text, '\''); }

std::string display(const QualifiedName& name) { return name.schema + "." + name.name; }

}  // namespace migrate::schema::postgres
