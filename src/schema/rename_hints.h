// Rename hints in a desired-state schema file: a `-- migrate:renamed-from OLD`
// comment turns a drop + add into a rename.
//
//   -- migrate:renamed-from accounts          <- on the lines before CREATE TABLE
//   CREATE TABLE wallets (                       (or on the CREATE TABLE line):
//       id integer PRIMARY KEY,                  the table was called accounts
//       -- migrate:renamed-from amount        <- on the line before a column
//       balance bigint NOT NULL,                 (or at the end of its first
//       owner integer  -- migrate:renamed-from user_id     line): the column
//   );                                           was called amount / user_id
//
// The schema file is read with its dialect's own lexer (sql/sqlite/ or
// sql/postgres/), so a hint inside a string, a dollar-quoted body or a
// block comment is none. Hints are attached to the model after
// inspecting the dev database the file was applied to, so names are matched
// as the server stored them.
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema {

struct HintName {
  std::string text;
  bool quoted = false;  // "Quoted": exact; bare: folded as the dialect folds
};

struct RenameHint {
  HintName schema;  // empty text = unqualified
  HintName table;
  HintName column;  // empty text = a table hint
  HintName old_name;
  int line = 0;
};

// The hints of a schema file in `dialect` (as Schema::dialect). Throws
// migrate::Error for PostgreSQL text its lexer rejects (an unterminated
// string, with its line and column).
std::vector<RenameHint> parse_rename_hints(const std::string& sql,
                                           config::DatabaseUrl::Kind dialect);

// Sets Table::renamed_from / Column::renamed_from. Throws migrate::Error
// "FILE:LINE: ..." for a hint whose table or column the schema does not have,
// or that is not followed by a table or column definition.
void apply_rename_hints(Schema& schema, const std::vector<RenameHint>& hints,
                        const std::string& file);

}  // namespace migrate::schema

namespace migrate::schema {

// For the reverse diff (a downgrade): `other` with hints that point back,
// e.g. `to` table wallets renamed-from accounts gives `other` table accounts
// renamed-from wallets, so diff(to, other) renames back instead of dropping.
Schema with_reversed_hints(const Schema& hinted, Schema other);

}  // namespace migrate::schema
