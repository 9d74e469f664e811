#include "lint/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace migrate::lint {

std::optional<Format> parse_format(const std::string& name) {
  if (name == "human") return Format::human;
  if (name == "json") return Format::json;
  if (name == "sarif") return Format::sarif;
  if (name == "github") return Format::github;
  return std::nullopt;
}

Summary summarize(const std::vector<Finding>& findings, std::size_t files, std::size_t statements) {
  Summary s;
  s.files = files;
  s.statements = statements;
  for (const auto& f : findings) (f.severity == Severity::error ? s.errors : s.warnings)++;
  return s;
}

namespace {

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string summary_line(const Summary& s) {
  return fmt::format("{}, {} in {} ({})", plural(s.errors, "error"), plural(s.warnings, "warning"),
                     plural(s.files, "file"), plural(s.statements, "statement"));
}

}  // namespace

void write_human(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary) {
  std::string text;
  for (const auto& f : findings) {
    fmt::format_to(std::back_inserter(text), "{}:{}:{}: {}[{}]: {}\n", f.file, f.line, f.column,
                   severity_name(f.severity), f.rule, f.message);
    if (!f.source_line.empty()) {
      // The line, and a caret under the column (tabs kept, so it lines up).
      std::string pad;
      int col = 1;
      for (std::size_t i = 0; i < f.source_line.size() && col < f.column; ++i) {
        const unsigned char c = static_cast<unsigned char>(f.source_line[i]);
        if ((c & 0xC0) == 0x80) continue;
        pad += c == '\t' ? '\t' : ' ';
        ++col;
      }
      fmt::format_to(std::back_inserter(text), "  {:>5} | {}\n        | {}^\n", f.line,
                     f.source_line, pad);
    }
    fmt::format_to(std::back_inserter(text), "  help: {}\n\n", f.help);
  }
  text += summary_line(summary);
  text += '\n';
  out << text;
}

void write_json(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& f : findings)
    list.push_back(
        {{"file", f.file},
         {"revision", f.revision.empty() ? nlohmann::json() : nlohmann::json(f.revision)},
         {"line", f.line},
         {"column", f.column},
         {"rule", f.rule},
         {"severity", severity_name(f.severity)},
         {"message", f.message},
         {"help", f.help},
         {"source_line", f.source_line}});
  nlohmann::json doc = {{"findings", list},
                        {"summary",
                         {{"files", summary.files},
                          {"statements", summary.statements},
                          {"errors", summary.errors},
                          {"warnings", summary.warnings}}}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

namespace {

// GitHub's workflow-command escaping: data and property values.
std::string escape_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escape_property(const std::string& s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

void write_github(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary) {
  std::string text;
  for (const auto& f : findings)
    fmt::format_to(std::back_inserter(text), "::{} file={},line={},col={},title={}::{}\n",
                   f.severity == Severity::error ? "error" : "warning", escape_property(f.file),
                   f.line, f.column, escape_property("migrate lint: " + f.rule),
                   escape_data(f.message + "\nhelp: " + f.help));
  text += summary_line(summary);
  text += '\n';
  out << text;
}

void write_report(std::ostream& out, Format format, const std::vector<Finding>& findings,
                  const Summary& summary) {
  switch (format) {
    case Format::human:
      return write_human(out, findings, summary);
    case Format::json:
      return write_json(out, findings, summary);
    case Format::sarif:
      return write_sarif(out, findings);
    case Format::github:
      return write_github(out, findings, summary);
  }
}

}  // namespace migrate::lint
