// import: an Alembic or Flyway project's revisions written as migrate's,
// with the same ids (or versions), parents, labels, dependencies and
// messages; with --adopt URL, that database's record of what it applied
// taken over as migrate's version rows (importer/adopt.h).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/commands.h"
#include "config/duration.h"
#include "config/secrets.h"
#include "importer/adopt.h"
#include "importer/alembic_source.h"
#include "importer/flyway_source.h"
#include "importer/imported.h"
#include "script/revision_file.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

struct ImportArgs {
  std::string tool;
  std::string dir;
  std::string adopt_url;
  std::string adopt_table;  // default: the tool's own
  std::string lock_wait = "60s";
};

const char* tool_name(const std::string& tool) { return tool == "alembic" ? "Alembic" : "Flyway"; }

// Every id, label and dependency as migrate spells them, checked before
// anything is written.
void check_names(const importer::ImportedProject& p) {
  std::string bad;
  auto check = [&](const std::string& name, const char* what, const std::string& origin) {
    if (!script::is_valid_revision_id(name) && bad.size() < 2000)
      bad += fmt::format("\n  {}: {} '{}'", origin, what, name);
  };
  for (const auto& r : p.revisions) {
    check(r.id, "revision id", r.origin);
    for (const auto& l : r.branch_labels) check(l, "branch label", r.origin);
    for (const auto& d : r.depends_on) check(d, "depends_on entry", r.origin);
  }
  if (!bad.empty())
    throw Error(
        "names migrate cannot keep (revision ids, labels and dependencies are letters, "
        "digits and _, at most 64 characters):" +
        bad);
}

// Parents (and dependencies given by id) before children, keeping the
// reader's order otherwise, as write_revisions() needs.
void order_parents_first(std::vector<importer::ImportedRevision>& revs) {
  std::set<std::string> ids, done;
  for (const auto& r : revs) ids.insert(r.id);
  std::vector<importer::ImportedRevision> out;
  std::vector<char> taken(revs.size(), 0);
  while (out.size() < revs.size()) {
    std::size_t before = out.size();
    for (std::size_t i = 0; i < revs.size(); ++i) {
      if (taken[i]) continue;
      bool ready =
          std::all_of(revs[i].down_revisions.begin(), revs[i].down_revisions.end(),
                      [&](const std::string& p) { return !ids.count(p) || done.count(p); });
      if (!ready) continue;
      taken[i] = 1;
      done.insert(revs[i].id);
      out.push_back(std::move(revs[i]));
    }
    if (out.size() == before) break;  // a cycle: write_revisions names it
  }
  for (std::size_t i = 0; i < revs.size(); ++i)
    if (!taken[i]) out.push_back(std::move(revs[i]));
  revs = std::move(out);
}

// The revisions whose downgrade does nothing (Flyway: no undo file), in
// one line: `downgrade` runs them and leaves their changes in place.
void report_no_downgrade(Context& ctx, const importer::ImportedProject& p) {
  std::vector<std::string> ids;
  for (const auto& r : p.revisions)
    if (r.no_downgrade) ids.push_back(r.id);
  if (ids.empty()) return;
  const bool one = ids.size() == 1;
  std::string which;
  if (ids.size() == p.revisions.size() && !one) {
    which = fmt::format("none of the {} versions", ids.size());
  } else {
    constexpr std::size_t kShown = 20;
    const auto shown = static_cast<std::ptrdiff_t>(std::min(ids.size(), kShown));
    which = fmt::format("{}", fmt::join(ids.begin(), ids.begin() + shown, ", "));
    if (ids.size() > kShown) which += fmt::format(" and {} more", ids.size() - kShown);
  }
  ctx.err << fmt::format(
      "migrate: warning: {} had {}undo file (U<version>__...sql): {} downgrade section{} "
      "nothing, so `migrate downgrade` past {} leaves {} changes in place; write the SQL that "
      "undoes {} there by hand\n",
      which, ids.size() == p.revisions.size() && !one ? "an " : "no ", one ? "its" : "their",
      one ? " does" : "s do", one ? "it" : "them", one ? "its" : "their", one ? "it" : "each");
}

// What was not converted, per revision, and the reader's notes.
std::size_t report(Context& ctx, const importer::ImportedProject& p) {
  std::size_t problems = 0;
  for (const auto& r : p.revisions) {
    for (const auto* s : {&r.upgrade, &r.downgrade}) {
      if (s->problem.empty()) continue;
      ++problems;
      ctx.err << fmt::format("migrate: warning: {} {}: not converted: {} ({}{})\n", r.id,
                             s == &r.upgrade ? "upgrade" : "downgrade", s->problem, r.origin,
                             s->line > 0 ? ":" + std::to_string(s->line) : "");
    }
    for (const auto& n : r.notes) ctx.err << fmt::format("migrate: note: {}: {}\n", r.id, n);
  }
  report_no_downgrade(ctx, p);
  for (const auto& s : p.skipped) ctx.err << "migrate: warning: " << s << "\n";
  return problems;
}

int run_import(Context& ctx, const ImportArgs& a) {
  if (!a.adopt_url.empty()) {
    if (!ctx.options.url.empty() && ctx.options.url != a.adopt_url)
      throw UsageError("--url and --adopt name two databases; give one");
    ctx.options.url = a.adopt_url;
  }
  const auto& cfg = ctx.config();
  const auto& scripts = ctx.scripts();
  importer::ImportedProject project =
      a.tool == "alembic" ? importer::read_alembic_project(a.dir, ctx.dialect()->name())
                          : importer::read_flyway_project(a.dir);
  check_names(project);
  order_parents_first(project.revisions);

  std::size_t present = 0;
  for (const auto& r : project.revisions) present += scripts.graph().contains(r.id) ? 1 : 0;
  if (project.revisions.empty()) {
    ctx.out << fmt::format("No revisions found in {} ({}).\n", a.dir, tool_name(a.tool));
  } else if (present == project.revisions.size() && !a.adopt_url.empty()) {
    ctx.out << fmt::format("The {} revisions of {} are in {} already: adopting only.\n",
                           project.revisions.size(), a.dir, scripts.versions_dir());
  } else if (present > 0) {
    std::string some;
    for (const auto& r : project.revisions)
      if (scripts.graph().contains(r.id) && some.size() < 200) some += " " + r.id;
    throw Error(fmt::format(
        "{} of the {} revisions to import are in {} already:{}{}; import "
        "into a project without them",
        present, project.revisions.size(), scripts.versions_dir(), some,
        present == project.revisions.size() ? " (all of them: to adopt a database, add --adopt URL)"
                                            : ""));
  } else {
    const std::size_t problems = report(ctx, project);
    std::vector<script::NewRevision> revs;
    for (const auto& r : project.revisions)
      revs.push_back(importer::to_new_revision(r, tool_name(a.tool)));
    auto paths = scripts.write_revisions(revs);
    for (const auto& path : paths) ctx.out << "  " << path << "\n";
    ctx.out << fmt::format("Imported {} revision{} from {} ({}) into {}", paths.size(),
                           paths.size() == 1 ? "" : "s", tool_name(a.tool), a.dir,
                           scripts.versions_dir());
    if (problems > 0)
      ctx.out << fmt::format(
          "; {} step{} not converted (see above): each fails when run until it is written by "
          "hand, and `migrate lint` reports those of upgrades (rule not-converted)",
          problems, problems == 1 ? "" : "s");
    ctx.out << ".\n";
  }
  if (a.adopt_url.empty()) return kExitOk;

  // The files as written, read back: adopt checks against what is on disk.
  auto written = script::ScriptDirectory::load(cfg.script_location);
  auto db = ctx.open_database(/*create_if_missing=*/false);
  std::string table = !a.adopt_table.empty() ? a.adopt_table
                      : a.tool == "alembic"  ? "alembic_version"
                                             : "flyway_schema_history";
  importer::AdoptResult r = importer::adopt(*db, written, a.tool, table,
                                            config::duration_option("--lock-wait", a.lock_wait));
  if (r.heads.empty())
    ctx.out << fmt::format("Adopted {}: {} records nothing applied; {} is empty, nothing ran.\n",
                           db->describe(), r.table, cfg.version_table);
  else
    ctx.out << fmt::format(
        "Adopted {}: {} says {}; {} now holds the same, {} revision{} recorded as applied "
        "(history direction 'adopt'), nothing ran.\n",
        db->describe(), r.table, fmt::join(r.heads, ", "), cfg.version_table, r.applied,
        r.applied == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& app, Context& ctx, Actions& actions) {
  auto a = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import",
      "Write an Alembic or Flyway project's revisions as migrate revision files (same ids or "
      "versions, parents, labels, dependencies, messages); with --adopt, take over what a "
      "database has applied");
  cmd->add_option("TOOL", a->tool, "alembic or flyway")
      ->required()
      ->check(CLI::IsMember({"alembic", "flyway"}));
  cmd->add_option("DIR", a->dir,
                  "Alembic: the folder of alembic.ini (or the script directory); Flyway: the "
                  "folder of the V<version>__<description>.sql files")
      ->required();
  cmd->add_option("--adopt", a->adopt_url,
                  "Then record, in one transaction and running nothing, what this database "
                  "already applied (alembic_version / flyway_schema_history) as migrate's "
                  "version rows; refused when it does not match the imported revisions");
  cmd->add_option("--adopt-table", a->adopt_table,
                  "The other tool's table (default alembic_version / flyway_schema_history; "
                  "may be schema.table)");
  cmd->add_option("--lock-wait", a->lock_wait,
                  "How long --adopt waits for another migrate run on the database")
      ->capture_default_str();
  actions[cmd] = [&ctx, a] { return run_import(ctx, *a); };
}

}  // namespace migrate::cli
