// Loud warnings for probable renames that have no hint: a diff that drops a
// column and adds one of the same type in the same table (or drops a table
// and adds one with the same column types) would lose the data of a rename.
// Dialect-neutral; diff_schemas adds these to every Diff.
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema {

std::vector<std::string> probable_rename_warnings(const Schema& from, const Schema& to);

}  // namespace migrate::schema
