#include "cli/lint_run.h"

#include "config/url.h"
#include "script/revision_file.h"
#include "util/file_io.h"

namespace migrate::cli {

lint::Dialect lint_dialect(Context& ctx) {
  const auto& c = ctx.config();
  if (c.database_url.empty())
    throw Error(
        "no database URL: `migrate lint` needs one to pick the SQL dialect (set "
        "database_url in " +
        c.file + ", or pass --url)");
  return config::parse_database_url(c.database_url, c.dir).kind == config::DatabaseUrl::kPostgres
             ? lint::Dialect::postgres
             : lint::Dialect::sqlite;
}

namespace {

bool has_upgrade_marker(const std::string& text) {
  for (std::size_t pos = text.find("-- migrate:upgrade"); pos != std::string::npos;
       pos = text.find("-- migrate:upgrade", pos + 1))
    if (pos == 0 || text[pos - 1] == '\n') return true;
  return false;
}

}  // namespace

lint::Source source_of_file(const std::string& path) {
  std::string text = util::read_file(path);
  lint::Source s;
  s.file = path;
  if (!has_upgrade_marker(text)) {
    s.sql = std::move(text);
    return s;
  }
  script::RevisionFile rev = script::parse_revision_text(std::move(text), path);
  s.revision = rev.id;
  s.sql = std::move(rev.upgrade_sql);
  s.first_line = rev.upgrade_line;
  s.transactional = rev.transactional;
  s.backfill_phase = rev.phase == script::Phase::kBackfill;
  return s;
}

lint::Source source_of_revision(Context& ctx, const std::string& id) {
  const auto& file = ctx.scripts().file(id);
  lint::Source s;
  s.file = file.path;
  s.revision = file.id;
  s.sql = file.upgrade_sql;
  s.first_line = file.upgrade_line;
  s.transactional = file.transactional;
  s.backfill_phase = file.phase == script::Phase::kBackfill;
  return s;
}

std::vector<lint::Source> sources_of_plan(Context& ctx, const std::vector<db::PlannedStep>& steps) {
  std::vector<lint::Source> out;
  for (const auto& p : steps) {
    if (!p.spec.upgrade) continue;
    lint::Source s;
    s.file = p.spec.file;
    s.revision = p.spec.revision;
    s.sql = p.spec.sql;
    s.first_line = p.spec.first_line;
    s.transactional = p.spec.transactional;
    s.backfill_phase = ctx.scripts().file(p.spec.revision).phase == script::Phase::kBackfill;
    s.pending_on_database = true;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace migrate::cli
