// The text of one section (upgrade or downgrade) of a phase's revision, as
// the planners write it: comments, statements each ended by `;`, and typed
// operations rendered through the dialect's renderer (schema/render.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "schema/ops.h"
#include "schema/render.h"

namespace migrate::expand {

class ScriptText {
 public:
  // `renderer` may be null when op() is never called.
  explicit ScriptText(const schema::Renderer* renderer = nullptr) : renderer_(renderer) {}
  void comment(const std::string& text) { out_ += "-- " + text + "\n"; }
  void sql(const std::string& statement) { out_ += statement + ";\n"; }
  void op(schema::ops::Op o) {
    std::vector<schema::DiffStatement> st;
    renderer_->statements(schema::ops::Operation{std::move(o), true}, st);
    for (const auto& s : st) {
      if (s.destructive) out_ += "-- destructive: " + s.note + "\n";
      out_ += s.sql + ";\n";
    }
  }
  // An empty line, unless the text already ends with one.
  void blank() {
    if (out_.size() >= 2 && out_.compare(out_.size() - 2, 2, "\n\n") != 0) out_ += "\n";
  }
  std::string text() const { return out_; }

 private:
  const schema::Renderer* renderer_;
  std::string out_;
};

}  // namespace migrate::expand
