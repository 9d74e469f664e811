// `migrate graph` in a terminal: the revision graph drawn like
// `git log --graph`. Each lane (two characters wide) waits for one
// revision; a revision's line puts `*` in its lane, then its lane waits for
// its first parent and new lanes open for the other parents (a merge,
// `|\`). Lanes that wait for the same revision (its children: a branch
// point) join it just above its line (`|/`, or `|_|/` across other lanes).
#include <algorithm>

#include "draw/revision_picture.h"

namespace migrate::draw {

namespace {

class LaneDrawing {
 public:
  explicit LaneDrawing(const RevisionFacts& f) : f_(f) {}

  std::string draw() {
    for (const auto& id : drawing_order(*f_.graph)) revision(id);
    return out_;
  }

 private:
  // Rows of lane characters: lane i is at column 2i, the gap to its right
  // at 2i+1.
  std::string blank(std::size_t lanes) const { return std::string(lanes * 2, ' '); }

  void row(std::string s, const std::string& text = "") {
    if (!text.empty()) {
      s += " " + text;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out_ += s;
    out_ += '\n';
  }

  void revision(const std::string& id) {
    std::size_t col = lanes_.size();
    for (std::size_t i = 0; i < lanes_.size(); ++i)
      if (lanes_[i] == id) {
        col = i;
        break;
      }
    if (col == lanes_.size()) {
      // A head: a new lane. Right below a base whose lane ended in the same
      // column, a row with that column empty (the other lanes go on) keeps
      // the two from reading as one line.
      if (base_ended_at_ == col) {
        std::string s = blank(lanes_.size());
        for (std::size_t i = 0; i < lanes_.size(); ++i) s[2 * i] = '|';
        row(s);
      }
      lanes_.push_back(id);
    }
    base_ended_at_ = kNone;
    join_duplicates(col);

    const auto& parents = f_.graph->get(id).down_revisions;
    std::size_t after = lanes_.size() + (parents.empty() ? 0 : parents.size() - 1);
    std::string line = blank(std::max(lanes_.size(), after));
    for (std::size_t i = 0; i < lanes_.size(); ++i) line[2 * i] = i == col ? '*' : '|';
    // The text starts after the widest of this row and the rows below it
    // that open lanes, as git pads a merge's line.
    line.resize(std::max(lanes_.size(), after) * 2 - 1);
    row(line, text(id));

    if (parents.empty()) {
      close_lane(col);
      return;
    }
    lanes_[col] = parents[0];
    // The other parents, last first, so that they end up in their order
    // to the right of the first.
    for (std::size_t k = parents.size() - 1; k >= 1; --k) open_lane(col, parents[k]);
  }

  // Several lanes wait for the revision in `col`: its children's. Each
  // other one moves into `col`, the leftmost first, one row each.
  void join_duplicates(std::size_t col) {
    for (;;) {
      std::size_t j = col + 1;
      while (j < lanes_.size() && lanes_[j] != lanes_[col]) ++j;
      if (j == lanes_.size()) return;
      std::string s = blank(lanes_.size());
      for (std::size_t i = 0; i < j; ++i) s[2 * i] = '|';
      for (std::size_t gap = 2 * col + 1; gap + 2 < 2 * j; gap += 2) s[gap] = '_';
      s[2 * j - 1] = '/';
      for (std::size_t i = j + 1; i < lanes_.size(); ++i) s[2 * i - 1] = '/';
      row(s);
      lanes_.erase(lanes_.begin() + static_cast<std::ptrdiff_t>(j));
    }
  }

  // A new lane right of `col` for another parent of the revision there;
  // the lanes right of it move one lane right.
  void open_lane(std::size_t col, const std::string& parent) {
    std::string s = blank(lanes_.size() + 1);
    for (std::size_t i = 0; i <= col; ++i) s[2 * i] = '|';
    s[2 * col + 1] = '\\';
    for (std::size_t i = col + 1; i < lanes_.size(); ++i) s[2 * i + 1] = '\\';
    row(s);
    lanes_.insert(lanes_.begin() + static_cast<std::ptrdiff_t>(col) + 1, parent);
  }

  // A base ends its lane; the lanes right of it move one lane left.
  void close_lane(std::size_t col) {
    lanes_.erase(lanes_.begin() + static_cast<std::ptrdiff_t>(col));
    if (col == lanes_.size()) {
      base_ended_at_ = col;
      return;
    }
    std::string s = blank(lanes_.size() + 1);
    for (std::size_t i = 0; i < col; ++i) s[2 * i] = '|';
    for (std::size_t i = col + 1; i <= lanes_.size(); ++i) s[2 * i - 1] = '/';
    row(s);
  }

  std::string text(const std::string& id) const {
    std::string t = id;
    auto d = decorations(f_, id);
    if (!d.empty()) {
      t += " (";
      for (std::size_t i = 0; i < d.size(); ++i) t += (i ? ", " : "") + d[i];
      t += ")";
    }
    auto m = f_.messages.find(id);
    if (m != f_.messages.end() && !m->second.empty())
      t += " " + m->second.substr(0, m->second.find('\n'));
    return t;
  }

  const RevisionFacts& f_;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::string> lanes_;     // the revision each lane waits for
  std::size_t base_ended_at_ = kNone;  // the last line's base closed this (last) lane
  std::string out_;
};

}  // namespace

std::string ascii(const RevisionFacts& f) { return LaneDrawing(f).draw(); }

}  // namespace migrate::draw
