// revision, merge: write new revision files.
#include <fmt/format.h>

#include <algorithm>

#include "cli/autogenerate.h"
#include "cli/commands.h"
#include "cli/expand_command.h"
#include "cli/schema_sources.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::cli {

namespace {

// The parent(s) of a new revision, as Alembic's `revision --head/--splice`
// decides them.
std::vector<std::string> parents_for(const graph::RevisionGraph& g, const std::string& head,
                                     bool splice) {
  if (head == "base") return {};
  if (g.empty()) {
    if (head == "head" || head == "heads") return {};
    throw Error(fmt::format("no revisions yet, so '--head {}' names nothing", head));
  }
  if (head == "head" && g.heads().size() > 1)
    throw Error(fmt::format(
        "multiple heads are present ({}); pass '--head REV' (or 'label@head') to say which one the "
        "new revision follows, or run 'migrate merge heads' first",
        fmt::join(g.heads(), ", ")));
  std::vector<std::string> ids = g.resolve(head, {});
  if (ids.size() != 1)
    throw Error(
        fmt::format("'--head {}' must name exactly one revision; it names {}", head, ids.size()));
  if (!splice && !g.is_head(ids[0]))
    throw Error(fmt::format(
        "revision {} is not a head revision; pass --splice to start a new branch from it", ids[0]));
  return ids;
}

// Alembic keeps a dependency that is a branch label as the label (it follows
// the branch) and resolves a partial id to the full id.
std::vector<std::string> resolve_depends_on(const graph::RevisionGraph& g,
                                            const std::vector<std::string>& deps) {
  std::vector<std::string> out;
  for (const auto& d : deps) {
    bool is_label = std::any_of(g.nodes().begin(), g.nodes().end(), [&](const auto& n) {
      return std::find(n.branch_labels.begin(), n.branch_labels.end(), d) != n.branch_labels.end();
    });
    if (is_label) {
      out.push_back(d);
      continue;
    }
    auto ids = g.resolve(d, {});
    if (ids.size() != 1)
      throw Error(fmt::format("--depends-on {} must name exactly one revision", d));
    out.push_back(ids[0]);
  }
  return out;
}

}  // namespace

void add_revision_commands(CLI::App& app, Context& ctx, Actions& actions) {
  struct RevisionArgs {
    std::string message;
    std::string rev_id;
    std::string head = "head";
    bool splice = false;
    std::vector<std::string> labels;
    std::vector<std::string> depends_on;
    bool autogenerate = false;
    bool one_step = false;
    schema::SchemaFilter filter;
    bool privileges = false;
    std::string expand_contract;
  };
  auto a = std::make_shared<RevisionArgs>();
  auto* rev = app.add_subcommand("revision", "Create a new revision file");
  rev->add_option("-m,--message", a->message,
                  "Message (also names the file); required but with --expand-contract");
  rev->add_option("--rev-id", a->rev_id, "Use this revision id instead of a generated one");
  rev->add_option("--head", a->head,
                  "Revision the new one follows: a head, 'label@head', or 'base' for a new root")
      ->capture_default_str();
  rev->add_flag("--splice", a->splice, "Allow --head to name a non-head revision (a new branch)");
  rev->add_option("--branch-label", a->labels, "Branch label for the new revision (repeatable)");
  rev->add_option("--depends-on", a->depends_on,
                  "Revision or branch label this one depends on (repeatable)");
  rev->add_flag("--autogenerate", a->autogenerate,
                "Fill the revision from the diff between rev:heads and schema_file (the "
                "downgrade is the reverse diff). PostgreSQL: in the forms `migrate lint` "
                "accepts, CONCURRENTLY and VALIDATE in a chained `transactional: false` "
                "revision; a column rename or rewriting type change is written as an "
                "expand/contract plan instead (docs/safety.md)");
  rev->add_flag("--one-step", a->one_step,
                "With --autogenerate: write the plain diff as one transactional revision, as "
                "`migrate diff` prints it (breaking and locking ALTERs included)")
      ->needs(rev->get_option("--autogenerate"));
  add_schema_filter_options(rev, a->filter);
  rev->get_option("--schema")->needs(rev->get_option("--autogenerate"));
  rev->get_option("--exclude-schema")->needs(rev->get_option("--autogenerate"));
  rev->add_flag("--privileges", a->privileges, kPrivilegesHelp)
      ->needs(rev->get_option("--autogenerate"));
  rev->add_option("--expand-contract", a->expand_contract,
                  "Write three chained revisions (expand, backfill, contract) that make the "
                  "changes of this plan file while old and new application versions both run "
                  "(docs/zero-downtime.md)")
      ->excludes(rev->get_option("--autogenerate"));
  actions[rev] = [&ctx, a] {
    if (a->expand_contract.empty() && util::trim(a->message).empty())
      throw UsageError("revision: -m/--message is required and must not be blank");
    const auto& scripts = ctx.scripts();
    if (!a->expand_contract.empty()) {
      ExpandArgs e;
      e.plan_path = a->expand_contract;
      e.message = a->message;
      e.rev_id = a->rev_id;
      e.parents = parents_for(scripts.graph(), a->head, a->splice);
      e.branch_labels = a->labels;
      e.depends_on = resolve_depends_on(scripts.graph(), a->depends_on);
      return write_expand_contract(ctx, e);
    }
    script::NewRevision nr;
    nr.message = a->message;
    if (!a->rev_id.empty()) nr.rev_id = a->rev_id;
    nr.down_revisions = parents_for(scripts.graph(), a->head, a->splice);
    nr.branch_labels = a->labels;
    nr.depends_on = resolve_depends_on(scripts.graph(), a->depends_on);
    if (a->autogenerate) return write_autogenerated(ctx, nr, a->one_step, a->filter, a->privileges);
    std::string path = scripts.write_revision(nr);
    ctx.out << "Generating " << path << " ... done\n";
    return 0;
  };

  struct MergeArgs {
    std::vector<std::string> revisions;
    std::string message;
    std::string rev_id;
    std::vector<std::string> labels;
  };
  auto m = std::make_shared<MergeArgs>();
  auto* merge = app.add_subcommand("merge", "Create a merge revision joining two or more heads");
  merge->add_option("REVISIONS", m->revisions, "Revisions to merge, e.g. 'heads' or two ids")
      ->required();
  merge->add_option("-m,--message", m->message, "Message");
  merge->add_option("--rev-id", m->rev_id, "Use this revision id instead of a generated one");
  merge->add_option("--branch-label", m->labels, "Branch label for the merge revision");
  actions[merge] = [&ctx, m] {
    const auto& g = ctx.scripts().graph();
    std::vector<std::string> parents;
    for (const auto& r : m->revisions)
      for (const auto& id : g.resolve(r, {}))
        if (std::find(parents.begin(), parents.end(), id) == parents.end()) parents.push_back(id);
    if (parents.size() < 2)
      throw Error(fmt::format("nothing to merge: {} name{} a single revision ({})",
                              fmt::join(m->revisions, " "), m->revisions.size() > 1 ? "" : "s",
                              fmt::join(parents, ", ")));
    for (const auto& id : parents)
      if (!g.is_head(id))
        throw Error(
            fmt::format("revision {} is not a head revision; only heads can be merged", id));
    script::NewRevision nr;
    nr.message =
        m->message.empty() ? fmt::format("merge {}", fmt::join(parents, ", ")) : m->message;
    if (!m->rev_id.empty()) nr.rev_id = m->rev_id;
    nr.down_revisions = parents;
    nr.branch_labels = m->labels;
    std::string path = ctx.scripts().write_revision(nr);
    ctx.out << "Generating " << path << " ... done\n";
    return 0;
  };
}

}  // namespace migrate::cli
