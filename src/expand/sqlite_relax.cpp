#include "expand/sqlite_relax.h"

#include <algorithm>
#include <utility>

#include "sql/sqlite/text.h"
#include "sql/sqlite/tokens.h"

namespace migrate::expand {

using sql::sqlite::fold;
using sql::sqlite::Token;

std::string relax_not_null(const std::string& create_table, const std::vector<std::string>& columns,
                           std::vector<std::string>* uncut) {
  const std::vector<Token> t = sql::sqlite::tokenize(create_table);
  std::size_t open = 0;
  while (open < t.size() && !t[open].is("(")) ++open;
  const std::size_t close = sql::sqlite::skip_parens(t, open);
  // The byte ranges to drop (each a NOT token up to its NULL), from the end.
  std::vector<std::pair<std::size_t, std::size_t>> cuts;
  std::vector<bool> cut(columns.size(), false);
  std::size_t i = open + 1;
  while (i + 1 < close) {
    // One column definition or table constraint: up to the next top-level ','.
    std::size_t end = i;
    while (end + 1 < close && !t[end].is(","))
      end = t[end].is("(") ? sql::sqlite::skip_parens(t, end) : end + 1;
    std::size_t ours = columns.size();
    for (std::size_t c = 0; c < columns.size() && t[i].is_name(); ++c)
      if (fold(columns[c]) == fold(t[i].value())) ours = c;
    for (std::size_t j = i + 1; ours < columns.size() && j + 1 < end;
         j = t[j].is("(") ? sql::sqlite::skip_parens(t, j) : j + 1)
      if (t[j].is_word("not") && t[j + 1].is_word("null")) {
        cuts.emplace_back(t[j].begin, t[j + 1].begin);
        cut[ours] = true;
      }
    i = end + 1;
  }
  if (uncut)
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (!cut[c]) uncut->push_back(columns[c]);
  std::string out = create_table;
  for (auto it = cuts.rbegin(); it != cuts.rend(); ++it)
    out.erase(it->first, it->second - it->first);
  return out;
}

}  // namespace migrate::expand
