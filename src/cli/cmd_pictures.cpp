// graph, erd: pictures of the revision graph and of a schema. Read-only:
// `graph` reads the version table when the database is reachable, `erd`
// inspects a schema source as `diff` does; neither creates a file or a
// table, but the picture they are told to write with -o.
#include <fmt/format.h>

#include "backend/source.h"
#include "cli/commands.h"
#include "cli/schema_sources.h"
#include "config/secrets.h"
#include "draw/erd.h"
#include "draw/graphviz.h"
#include "draw/revision_picture.h"
#include "util/error.h"
#include "util/file_io.h"

namespace migrate::cli {

namespace {

struct PictureArgs {
  std::string format;
  std::string output;   // -o; empty = stdout
  std::string source;   // erd
  std::string dev_url;  // erd
};

// Writes the picture to -o FILE or to stdout. A regular FILE is replaced
// whole (a regenerated picture overwrites the old one, and a failed write
// leaves the old one); a symlink, a FIFO or a device is written through
// (util::replace_file).
void emit(Context& ctx, const std::string& output, const std::string& text) {
  if (output.empty() || output == "-") {
    ctx.out << text;
    return;
  }
  util::replace_file(output, text);
}

// The revisions the database is at, to mark them; empty with a note when
// it cannot be read (no database URL, a server that is down), since the
// graph itself needs no database.
std::set<std::string> current_revisions(Context& ctx) {
  const auto& g = ctx.scripts().graph();
  try {
    auto db = ctx.open_database(/*create_if_missing=*/false);
    std::vector<std::string> known;
    for (const auto& h : db->current_heads()) {
      if (g.contains(h))
        known.push_back(h);
      else
        ctx.err << "migrate: note: the database is at revision " << h << ", which is not in "
                << ctx.scripts().versions_dir() << "; it is not drawn\n";
    }
    auto shown = g.effective_current(known);
    return {shown.begin(), shown.end()};
  } catch (const Error& e) {
    ctx.err << "migrate: note: current revisions not marked: " << config::redact_secrets(e.what())
            << "\n";
    return {};
  }
}

int run_graph(Context& ctx, const PictureArgs& a) {
  const auto& scripts = ctx.scripts();
  draw::RevisionFacts facts;
  facts.graph = &scripts.graph();
  for (const auto& node : scripts.graph().nodes())
    facts.messages[node.id] = scripts.summary(node.id).message;
  if (scripts.graph().empty())
    ctx.err << "migrate: note: no revisions in " << scripts.versions_dir() << "\n";
  else
    facts.current = current_revisions(ctx);
  const std::string& f = a.format;
  std::string text = f == "dot"       ? draw::dot(facts)
                     : f == "mermaid" ? draw::mermaid(facts)
                     : f == "svg"     ? draw::svg_from_dot(draw::dot(facts))
                                      : draw::ascii(facts);
  emit(ctx, a.output, text);
  return kExitOk;
}

bool is_revision(const std::string& s) { return s.rfind("rev:", 0) == 0; }

int run_erd(Context& ctx, const PictureArgs& a) {
  std::string source = a.source;
  backend::SourceContext sc;
  if (source.empty() || is_revision(source)) {
    if (source.empty()) source = ctx.config().database_url;
    if (source.empty())
      throw Error("no SRC and no database URL: set database_url in " + ctx.config().file +
                  " or name a source (a database URL, a .sql file or rev:TARGET)");
    backend::source_kind(source);
    sc = source_context(ctx, a.dev_url, is_revision(source));
  } else {
    // As `diff`: a URL or a .sql file needs no migrate.yaml; without one the
    // dev database for a .sql file is --dev-url, else SQLite in memory.
    bool is_url = backend::source_kind(source) == backend::SourceKind::kDatabase;
    try {
      sc = source_context(ctx, a.dev_url, false);
    } catch (const Error&) {
      sc = backend::SourceContext();
      sc.dev_url = a.dev_url;
      sc.database_url = is_url ? source : "sqlite:///:memory:";
    }
  }
  sc.note = [&ctx](const std::string& note) { ctx.err << "migrate: note: " << note << "\n"; };
  schema::Schema s = backend::load_source(source, sc);
  const std::string& f = a.format;
  std::string text = f == "dot"   ? draw::erd_dot(s)
                     : f == "svg" ? draw::svg_from_dot(draw::erd_dot(s))
                                  : draw::erd_mermaid(s);
  emit(ctx, a.output, text);
  return kExitOk;
}

}  // namespace

void add_picture_commands(CLI::App& app, Context& ctx, Actions& actions) {
  auto g = std::make_shared<PictureArgs>();
  g->format = "ascii";
  auto* graph = app.add_subcommand(
      "graph",
      "Draw the revision graph: heads, merges, branch points, labels, depends_on, and the "
      "database's current revisions when it is reachable");
  graph
      ->add_option("--format", g->format,
                   "ascii (like git log --graph; the default), dot (Graphviz), mermaid "
                   "(flowchart) or svg (needs Graphviz's dot)")
      ->check(CLI::IsMember({"ascii", "dot", "mermaid", "svg"}));
  graph->add_option("-o,--output", g->output,
                    "Write the picture to FILE instead of stdout (a regular FILE is replaced "
                    "whole; a symlink, FIFO or device is written through)");
  actions[graph] = [&ctx, g] { return run_graph(ctx, *g); };

  auto e = std::make_shared<PictureArgs>();
  e->format = "mermaid";
  auto* erd = app.add_subcommand(
      "erd",
      "Draw the tables, columns and foreign keys of a schema source as an entity-relationship "
      "diagram");
  erd->add_option("SRC", e->source,
                  "A database URL, a .sql schema file or rev:TARGET (default: the configured "
                  "database); a relative sqlite:/// path is relative to the config file's "
                  "folder, a relative .sql file to the current directory");
  erd->add_option("--format", e->format,
                  "mermaid (erDiagram; the default), dot (Graphviz) or svg (needs Graphviz's dot)")
      ->check(CLI::IsMember({"mermaid", "dot", "svg"}));
  erd->add_option("-o,--output", e->output,
                  "Write the picture to FILE instead of stdout (a regular FILE is replaced "
                  "whole; a symlink, FIFO or device is written through)");
  erd->add_option("--dev-url", e->dev_url,
                  "Scratch database for .sql and rev: sources (default: dev_url, else a "
                  "temporary one); a relative sqlite:/// path is relative to the config file's "
                  "folder");
  actions[erd] = [&ctx, e] { return run_erd(ctx, *e); };
}

}  // namespace migrate::cli
