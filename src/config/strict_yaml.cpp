#include "config/strict_yaml.h"

#include <algorithm>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

std::string at(const std::string& file, int line) { return file + ":" + std::to_string(line); }

// The 1-based line of byte `pos` of `text`.
int line_of(std::string_view text, std::size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

int line_count(std::string_view text) {
  int n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  return std::max(1, (text.empty() || text.back() == '\n') ? n : n + 1);
}

// `---` or `...` alone at the start of a line (a YAML document marker).
bool is_document_marker(std::string_view line) {
  if (line.size() < 3) return false;
  std::string_view head = line.substr(0, 3);
  if (head != "---" && head != "...") return false;
  return util::trim(line.substr(3)).empty() || line[3] == ' ' || line[3] == '\t';
}

void refuse_document_markers(std::string_view text, const std::string& file) {
  bool content_seen = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    ++line_no;
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    std::string_view t = util::trim(line);
    if (is_document_marker(line)) {
      // A leading `---` opens the one document; any other marker ends it.
      if (content_seen || line[0] == '.') {
        throw Error(at(file, line_no) + ": `" + std::string(line.substr(0, 3)) +
                    "` is a YAML document marker: it would end the settings here and " +
                    "everything after it would be ignored; remove the line (a comment " +
                    "starts with `#`)");
      }
    } else if (!t.empty() && t[0] != '#') {
      content_seen = true;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

// A quoted scalar must close on the line where it opens: otherwise a
// forgotten quote silently takes the following `key: value` lines into
// the value.
void check_quoted_scalar(const YAML::Node& node, std::string_view text, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) return;
  std::size_t i = static_cast<std::size_t>(mark.pos);
  const char quote = text[i];
  if (quote != '"' && quote != '\'') return;  // a block scalar (| or >)
  for (++i; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') break;
    if (quote == '"' && c == '\\') {
      ++i;
      continue;
    }
    if (c == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
        continue;
      }
      return;
    }
  }
  throw Error(at(file, line_of(text, static_cast<std::size_t>(mark.pos))) + ": the " +
              std::string(1, quote) +
              "-quoted value opened here does not close on this line (a missing quote?); a "
              "quoted value must end on the line where it starts");
}

void check_quotes(const YAML::Node& node, std::string_view text, const std::string& file) {
  if (node.IsScalar()) {
    if (node.Tag() == "!") check_quoted_scalar(node, text, file);
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_quotes(item, text, file);
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      check_quotes(it->first, text, file);
      check_quotes(it->second, text, file);
    }
  }
}

}  // namespace

void check_yaml_text(std::string_view text, const std::string& file, int first_line) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      std::string byte = {'0', 'x', kHex[u >> 4], kHex[u & 0xf]};
      throw Error(at(file, first_line - 1 + line_of(text, i)) + ": a control character (byte " +
                  byte + ") is not allowed here" +
                  (u == 0 ? " (a NUL byte: is this a text file?)" : ""));
    }
  }
  std::size_t bad = util::invalid_utf8_at(text);
  if (bad != std::string_view::npos) {
    std::size_t line_start = text.rfind('\n', bad);
    std::size_t column = bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    throw Error(at(file, first_line - 1 + line_of(text, bad)) + ": invalid UTF-8 at column " +
                std::to_string(column) + "; save the file as UTF-8");
  }
}

YAML::Node load_yaml_strict(const std::string& text, const std::string& file,
                            const std::string& what) {
  check_yaml_text(text, file);
  refuse_document_markers(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's marks are 0-based (-1: unknown); at the end of the input
    // (an unclosed `[`) it points one line past the text.
    int line = std::min(e.mark.line >= 0 ? e.mark.line + 1 : 1, line_count(text));
    throw Error(at(file, line) + ": " + what + ": " + e.msg);
  }
  check_quotes(root, text, file);
  return root;
}

}  // namespace migrate::config
