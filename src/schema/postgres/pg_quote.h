// Quoting for the SQL the PostgreSQL differ writes. Identifiers are quoted
// exactly when the server's quote_ident() would quote them, so names we
// render match the text the catalogs give back (format_type, pg_get_*def
// qualify user objects because inspection runs with search_path=pg_catalog).
#pragma once

#include <string>

#include "schema/model.h"

namespace migrate::schema::postgres {

// `name` as is when it is a plain lowercase identifier and not a keyword
// PostgreSQL reserves in that position; else in double quotes.
std::string ident(const std::string& name);

// schema.name, each part quoted as ident() does.
std::string qualified(const QualifiedName& name);

// 'text' with quotes doubled (standard_conforming_strings is on since 9.1).
std::string literal(const std::string& text);

// "schema.name" for messages (unquoted).
std::string display(const QualifiedName& name);

}  // namespace migrate::schema::postgres
