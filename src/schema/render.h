// From typed operations (schema/ops.h) to what a person or a server reads:
// one Renderer per dialect (postgres::renderer(), sqlite::renderer()) writes
// each operation's SQL statements, its summary lines and its warnings.
// OpPlan is where a differ puts operations as it finds them; render() orders
// them for running and writes the Diff.
#pragma once

#include <string>
#include <vector>

#include "schema/diff.h"
#include "schema/ops.h"

namespace migrate::schema {

class Renderer {
 public:
  virtual ~Renderer() = default;
  // Appends the statements of `op`, in the order they run: none for what the
  // server does by itself (DropSequence::with_column, DropIndex::with_table).
  // Throws migrate::Error for an operation the dialect has no SQL for.
  virtual void statements(const ops::Operation& op, std::vector<DiffStatement>& out) const = 0;
  // Appends what `op` changes, in words, one line per difference ("add
  // column public.t.c"), whatever op.reported says.
  virtual void summary(const ops::Operation& op, std::vector<std::string>& out) const = 0;
  // Appends what may go wrong when `op` runs ("added NOT NULL without a
  // default: this fails when the table has rows").
  virtual void warnings(const ops::Operation& op, std::vector<std::string>& out) const = 0;
  // Whether `op` loses data, and how.
  virtual ops::Loss data_loss(const ops::Operation& op) const = 0;
};

// Operations as a differ finds them, each placed for running: by phase,
// then rank, then the order added. The summary keeps the order added (table
// by table, as a reader expects); the script runs in the placed order.
class OpPlan {
 public:
  void add(int phase, ops::Operation op, int rank = 0);
  bool empty() const { return found_.empty(); }
  // Each operation added so far, in the order added.
  template <typename F>
  void for_each(F f) const {
    for (const auto& p : found_) f(p.op);
  }

  // The Diff: operations and statements in running order, the summary
  // (reported operations only) and the warnings of every operation in the
  // order found, after `warnings` (the differ's own, e.g. ignored hints).
  Diff render(const Renderer& renderer, std::vector<std::string> warnings) &&;

 private:
  struct Placed {
    int phase;
    int rank;
    ops::Operation op;
  };
  std::vector<Placed> found_;
};

// `operations` as they are (running order = summary order), for operations
// built by hand (the expand/contract planner) rather than by a differ.
Diff render_operations(const Renderer& renderer, std::vector<ops::Operation> operations);

}  // namespace migrate::schema
