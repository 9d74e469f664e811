// Several schema sources loaded at once: the two sides of `diff`, the sides
// of `check` and of `revision --autogenerate`. Most of a side's time is the
// server (catalog functions on cold backends, connection start-up), so two
// sides inspected together take about the time of the slower one.
//
// Each source runs on its own thread with its own connections (and each
// inspection spreads over its own few connections, pg_inspect.cpp); nothing
// mutable is shared between them but what is locked (the secrets list,
// ctx.note). Two sources stay on one thread, in order, when they would share
// something that is not thread-safe: the user's dev database (--dev-url /
// dev_url: one database that each .sql or rev: source fills in turn, its
// DevDatabase destroyed, and so the database emptied, before the next
// source makes its own) and the project's revisions (rev: sources: the
// script directory reads its files lazily and caches them).
#pragma once

#include <string>
#include <vector>

#include "backend/source.h"
#include "schema/model.h"

namespace migrate::backend {

struct NamedSource {
  std::string label;   // for messages: "--from", "--to", "rev:heads", "schema_file"...
  std::string source;  // as load_source takes it
};

// The schemas of `sources`, in order. Every thread is joined (and so every
// connection closed) before this returns or throws. A failure is rethrown
// as the same kind of error (same exit code), its message prefixed by the
// label of the first failing source in `sources` order; the others'
// failures, if any, are dropped (the first is reported, as when the sources
// were loaded one after the other).
std::vector<schema::Schema> load_sources(const std::vector<NamedSource>& sources,
                                         const SourceContext& ctx);

}  // namespace migrate::backend
