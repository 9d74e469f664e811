// revision --expand-contract PLAN.yaml: three chained revisions (expand,
// backfill, contract) from a plan and the table's schema at the revision
// they follow (rev:<--head> on the dev database, as --autogenerate reads it).
#include <fmt/format.h>

#include "backend/backend.h"
#include "backend/source.h"
#include "cli/expand_command.h"
#include "cli/schema_sources.h"
#include "expand/change.h"
#include "expand/pg_planner.h"
#include "expand/plan.h"
#include "expand/sqlite_planner.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

std::string default_message(const expand::Plan& plan) {
  std::string ops;
  for (const auto& op : plan.operations) {
    const std::string name = expand::op_name(op.kind);
    if (ops.find(name) == std::string::npos) ops += (ops.empty() ? "" : ", ") + name;
  }
  return fmt::format("{} {}", ops,
                     plan.schema.empty() ? plan.table : plan.schema + "." + plan.table);
}

script::NewRevision revision(const expand::PhaseText& phase) {
  script::NewRevision nr;
  nr.message = phase.message;
  nr.header_lines = phase.header_lines;
  nr.upgrade_sql = phase.upgrade_sql;
  nr.downgrade_sql = phase.downgrade_sql;
  return nr;
}

}  // namespace

int write_expand_contract(Context& ctx, const ExpandArgs& a) {
  const expand::Plan plan = expand::read_plan(a.plan_path);
  const auto& scripts = ctx.scripts();
  const auto& kind = config::parse_database_url(ctx.config().database_url).kind;
  const bool postgres = kind == config::DatabaseUrl::kPostgres;
  // The schema the new revisions start from: the one they follow.
  const std::string source =
      a.parents.empty() ? std::string("rev:base") : "rev:" + a.parents.front();
  schema::Schema at = backend::load_source(source, source_context(ctx, "", true));
  const expand::Change change = expand::analyse(plan, at, postgres ? "public" : "main");
  const std::string message = a.message.empty() ? default_message(plan) : a.message;
  expand::Phases phases =
      postgres ? expand::plan_postgres(change, backend::backend_for(kind).renderer(), message)
               : expand::plan_sqlite(change, at, message);
  for (const auto& w : phases.warnings) ctx.err << "migrate: warning: " << w << "\n";

  std::vector<script::NewRevision> revs = {revision(phases.expand), revision(phases.backfill),
                                           revision(phases.contract)};
  revs[0].down_revisions = a.parents;
  revs[0].branch_labels = a.branch_labels;
  revs[0].depends_on = a.depends_on;
  if (!a.rev_id.empty()) {
    revs[0].rev_id = a.rev_id + "_expand";
    revs[1].rev_id = a.rev_id + "_backfill";
    revs[2].rev_id = a.rev_id + "_contract";
  }
  std::vector<std::string> paths;
  try {
    paths = scripts.write_chain(revs);
  } catch (const Error& e) {
    // Until this build's header parser knows `backfill:` (the engine's key),
    // the section is kept as a comment for the reader; nothing runs it.
    if (std::string(e.what()).find("`backfill`") == std::string::npos) throw;
    for (auto& l : revs[1].header_lines)
      if (l.rfind("phase:", 0) != 0 && l.rfind("transactional:", 0) != 0) l = "# " + l;
    ctx.err << "migrate: warning: this build has no backfill engine: the backfill revision's "
               "`backfill:` section is written as a comment; fill the rows yourself before the "
               "contract\n";
    paths = scripts.write_chain(revs);
  }
  for (const auto& p : paths) ctx.out << "Generating " << p << " ... done\n";
  ctx.out << "Apply with `migrate upgrade heads` (expand, then backfill); the contract waits for "
             "`migrate upgrade heads --contract` once no old application instance runs.\n";
  return 0;
}

}  // namespace migrate::cli
