// What the pragmas do not tell about a table, read from its stored
// CREATE TABLE text: CHECK constraints and their names, column collations,
// generated-column expressions, AUTOINCREMENT, DEFERRABLE foreign keys,
// WITHOUT ROWID / STRICT, and each column definition's own text (for
// ALTER TABLE ADD COLUMN). A light parser on purpose: SQLite already
// accepted the text, so this only needs to find the parts, not validate.
#pragma once

#include <string>
#include <vector>

namespace migrate::schema::sqlite {

struct ParsedCheck {
  std::string name;    // CONSTRAINT name, "" when unnamed
  std::string expr;    // the expression's text as written
  std::string column;  // for a column constraint: its column; "" for a table constraint
};

struct ParsedForeignKey {
  std::vector<std::string> columns;  // local columns (one for a column constraint)
  std::string ref_table;
  std::string name;
  bool deferrable = false;
  bool initially_deferred = false;
};

struct ParsedColumn {
  std::string name;
  std::string definition;  // the whole column definition as written
  std::string collation;   // COLLATE name, "" when none
  std::string generated;   // generated column expression, "" when none
  bool generated_stored = false;
  bool primary_key = false;  // a column PRIMARY KEY constraint
  bool unique = false;       // a column UNIQUE constraint
  bool references = false;   // a column REFERENCES constraint
};

struct ParsedTable {
  std::string name;
  std::size_t name_begin = 0, name_end = 0;  // byte span of the (possibly quoted) name
  std::vector<ParsedColumn> columns;
  std::vector<ParsedCheck> checks;
  std::vector<ParsedForeignKey> foreign_keys;
  std::string primary_key_name;  // CONSTRAINT name of the primary key, if any
  bool autoincrement = false;
  bool without_rowid = false;
  bool strict = false;
  bool as_select = false;  // CREATE TABLE ... AS SELECT: no column definitions
};

// Parses a stored `CREATE TABLE` statement. Throws migrate::Error when the
// text is not one (it names the table).
ParsedTable parse_create_table(const std::string& sql);

// The byte span of the object name in a stored CREATE INDEX / VIEW /
// TRIGGER / TABLE statement (after IF NOT EXISTS and a schema prefix).
struct NameSpan {
  std::size_t begin = 0, end = 0;
};
NameSpan find_created_name(const std::string& sql);

// `sql` with its created object's name replaced by `new_name` (quoted as needed).
std::string rename_created(const std::string& sql, const std::string& new_name);

}  // namespace migrate::schema::sqlite
