// Entity-relationship pictures of a schema (`migrate erd`): every table
// with its columns (type; PK, FK, UK and NOT NULL marks) and an edge per
// foreign key, from the referenced table to the referencing one. Pure:
// the schema comes inspected (backend/source.h).
#pragma once

#include <string>

#include "schema/model.h"

namespace migrate::draw {

// A Mermaid `erDiagram`. Entity names are quoted (a table may be called
// `one` or `many`, which are Mermaid words); columns are attribute lines
// `type name PK, FK "NOT NULL"`; a foreign key is
// `"parent" ||--o{ "child" : "columns"` (`|o` when its columns may be
// NULL, `o|` when they are unique in the child).
std::string erd_mermaid(const schema::Schema& s);

// `digraph schema`: one HTML-like table per table (name; per column a row
// of name, type and marks, each column a port), an edge per foreign key
// from the referenced table's column to the referencing one's, in crow's
// foot notation (a bar, or a circle and bar when its columns may be NULL, at
// the parent; a crow's foot and circle at the child).
std::string erd_dot(const schema::Schema& s);

}  // namespace migrate::draw
