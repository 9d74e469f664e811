// What a LANGUAGE sql function whose body is a string (AS $$ ... $$) reads
// and calls, from the body's parse tree (libpg_query, the server's grammar).
// The server records no dependency for such a body (only for a BEGIN ATOMIC
// or RETURN body, which inspection reads from pg_depend), yet checks it
// against the catalogs when the function is created: the relations and
// functions it names must exist first.
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema::postgres {

struct BodyRefs {
  // As written: schema "" when the body leaves the name unqualified.
  std::vector<QualifiedName> relations;  // FROM, JOIN, INSERT INTO, ... (and CTE names)
  std::vector<QualifiedName> functions;  // calls
};

// The names `body` uses; none when it does not parse (the server accepted
// it, so this only happens with syntax newer than the parser's).
BodyRefs sql_body_refs(const std::string& body);

// `refs` matched to `schema`'s objects: a qualified name when it exists, an
// unqualified one in every schema that has an object of that name (the
// function's search_path at run time is unknown; a dependency too many only
// orders two unrelated objects). Added to `f.relations` / `f.uses.functions`.
void add_body_refs(const BodyRefs& refs, const Schema& schema, Function& f);

}  // namespace migrate::schema::postgres
