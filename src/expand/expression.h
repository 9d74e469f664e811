// The SQL expressions of a plan (up, down, fill, default, check, where),
// read with PostgreSQL's own grammar (libpg_query): checked to be one
// expression, the columns they name found, and rewritten for a trigger body
// where a column `c` of the row must be written `NEW.c`. A token-level
// rewrite never touches a string literal, and column names inside a
// sub-select (its own FROM) are left alone.
#pragma once

#include <string>
#include <vector>

namespace migrate::expand {

// Throws migrate::Error (the parser's message) unless `expr` is exactly
// one scalar expression: no FROM, WHERE, `;` or second statement.
void check_expression(const std::string& expr);

// Whether `expr` is a literal, possibly cast ('EUR', 0, -1.5, true, NULL,
// '{}'::jsonb): a default the server stores once, without rewriting the
// table. Anything else (now(), gen_random_uuid(), nextval(...)) is taken as
// volatile.
bool is_constant(const std::string& expr);

// The plain column names `expr` refers to outside sub-selects, in order,
// without repeats.
std::vector<std::string> expression_columns(const std::string& expr);

// `expr` with every plain reference to one of `columns` outside sub-selects
// written as `prefix.name` ("NEW.email").
std::string qualify_columns(const std::string& expr, const std::string& prefix,
                            const std::vector<std::string>& columns);

}  // namespace migrate::expand
