#include "draw/escape.h"

#include <cctype>

namespace migrate::draw {

std::string dot_quoted(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string html_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string mermaid_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '#':
        out += "#35;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string mermaid_word(const std::string& s) {
  std::string out;
  bool replaced = false;  // a run of other characters ("12, 2") is one `_`
  for (unsigned char c : s) {
    bool ok =
        std::isalnum(c) || c == '-' || c == '_' || c == '[' || c == ']' || c == '(' || c == ')';
    if (ok)
      out += static_cast<char>(c);
    else if (!replaced)
      out += '_';
    replaced = !ok;
  }
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "x" + out;
  std::string upper;
  for (char c : out) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "PK" || upper == "FK" || upper == "UK") out += '_';
  return out;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace migrate::draw
