#include "db/sqlite/sqlite_splitter.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <string_view>

#include "sql/position.h"
#include "sql/sqlite/text.h"
#include "sql/sqlite/tokenizer.h"
#include "util/error.h"

namespace migrate::db::sqlite {

namespace {

using sql::sqlite::Kind;
using sql::sqlite::RawToken;

// Walks the text once, token by token (SQLite's tokenizer rules); sqlite3_complete() is consulted
// only at semicolons outside quotes and comments, on the text since the previous statement ended.
// Only a trigger body makes that repeat within a statement, so the whole stays close to linear.
class Splitter {
 public:
  Splitter(const std::string& sql, int first_line, const std::string& file)
      : sql_(sql), buf_(sql), first_line_(first_line), file_(file), line_(first_line) {}

  std::vector<Statement> run() {
    if (std::size_t nul = sql_.find('\0'); nul != std::string::npos)
      throw Error(fmt::format("{}:{}: the SQL contains a NUL byte", file_, line_at(nul)));
    const std::size_t n = sql_.size();
    std::size_t unclosed_comment = std::string::npos;
    for (std::size_t pos = 0; pos < n;) {
      const RawToken t = sql::sqlite::token_at(sql_, pos);
      pos = t.end;
      if (t.kind == Kind::space) {
        note_vertical_tab(t);
        continue;
      }
      if (t.kind == Kind::comment) {
        if (!sql::sqlite::unterminated(sql_, t).empty()) unclosed_comment = t.begin;
        continue;
      }
      if (t.kind == Kind::punct && sql_[t.begin] == ';') {
        on_semicolon(t.begin);
        continue;
      }
      if (t.kind == Kind::illegal && !sql::sqlite::unterminated(sql_, t).empty())
        unterminated_quote(t);
      if (t.kind == Kind::variable) refuse_ambiguous_parameter(t);
      if (stmt_start_ == std::string::npos) {
        refuse_vertical_tab_before_statement();
        stmt_start_ = t.begin;
      }
      last_token_end_ = t.end;
    }
    // A comment left open after the last statement is harmless, as it is to
    // SQLite; one inside an unfinished statement would swallow its end.
    if (unclosed_comment != std::string::npos && stmt_start_ != std::string::npos)
      unterminated_quote(sql::sqlite::token_at(sql_, unclosed_comment));
    finish();
    return std::move(out_);
  }

 private:
  void on_semicolon(std::size_t pos) {
    if (!complete_through(pos + 1)) {
      // A semicolon inside a trigger body: part of the statement.
      last_token_end_ = pos + 1;
      return;
    }
    emit();
    segment_start_ = pos + 1;
    vtab_before_ = std::string::npos;
  }

  // Whether the text from the segment start through `end` (exclusive) is a
  // complete statement. buf_ is a copy of the text that gets a NUL at `end`
  // for the call, so nothing is copied per check.
  bool complete_through(std::size_t end) {
    char saved = buf_[end];
    buf_[end] = '\0';
    bool complete = sqlite3_complete(buf_.c_str() + segment_start_) != 0;
    buf_[end] = saved;
    return complete;
  }

  void emit() {
    if (stmt_start_ != std::string::npos) {
      out_.push_back(
          {sql_.substr(stmt_start_, last_token_end_ - stmt_start_), line_at(stmt_start_)});
    }
    stmt_start_ = std::string::npos;
  }

  // Text left after the last complete statement.
  void finish() {
    if (stmt_start_ == std::string::npos) return;
    std::string candidate = sql_.substr(segment_start_) + ";";
    if (sqlite3_complete(candidate.c_str())) {
      emit();
      return;
    }
    // Quotes and comments are closed by now, so only a trigger body can
    // still be open: sqlite3_complete wants its END.
    throw Error(fmt::format(
        "{}:{}: unterminated statement (a trigger body needs END; after its last statement)"
        "\n  in: {}",
        file_, line_at(stmt_start_), sql::sqlite::first_line_of(sql_, stmt_start_, sql_.size())));
  }

  // A Tcl-style $name(...) parameter is one token to SQLite's tokenizer, but
  // sqlite3_complete(), which decides where a statement ends, reads a quote,
  // a comment or a ';' inside its parentheses as it would anywhere else. The
  // two then disagree about where the statement ends (and the script --sql
  // writes would not split again), so such a parameter is refused.
  void refuse_ambiguous_parameter(const RawToken& t) {
    std::string_view text(sql_.data() + t.begin, t.end - t.begin);
    std::size_t open = text.find('(');
    if (open == std::string_view::npos) return;
    std::string_view inner = text.substr(open);
    if (inner.find_first_of("'\"`[;") == std::string_view::npos &&
        inner.find("--") == std::string_view::npos && inner.find("/*") == std::string_view::npos)
      return;
    throw Error(fmt::format(
        "{}:{}: the parameter {} has a quote, a comment or ';' inside its parentheses, which "
        "SQLite's tokenizer and sqlite3_complete() read differently; rename the parameter",
        file_, line_at(t.begin), text));
  }

  // SQLite's tokenizer reads a \v inside a run of spaces as a space, but
  // sqlite3_complete(), which decides where a statement ends, reads it as a
  // word: after "\n\v", "CREATE TRIGGER" does not start a trigger to it, so
  // the body's first ';' ends the statement. Written back by --sql without
  // the space before it, the same statement is a trigger and splits
  // differently. So a \v in the space before a statement is refused (in a
  // statement, the --sql rewrite keeps it where it was; after the last one
  // it is harmless).
  void note_vertical_tab(const RawToken& t) {
    if (stmt_start_ != std::string::npos || vtab_before_ != std::string::npos) return;
    const std::size_t at = std::string_view(sql_).substr(t.begin, t.end - t.begin).find('\v');
    if (at != std::string_view::npos) vtab_before_ = t.begin + at;
  }

  void refuse_vertical_tab_before_statement() {
    if (vtab_before_ == std::string::npos) return;
    throw Error(fmt::format(
        "{}:{}: a vertical tab (\\v) in the space before a statement, which SQLite's tokenizer "
        "reads as a space and sqlite3_complete() as a word, so the two would end the statement "
        "in different places; replace it with a space",
        file_, line_at(vtab_before_)));
  }

  [[noreturn]] void unterminated_quote(const RawToken& t) {
    const std::size_t pos = t.begin;
    std::size_t start = stmt_start_ == std::string::npos ? pos : stmt_start_;
    throw Error(
        fmt::format("{}:{}: unterminated {} (opened here; the statement starts on line {})"
                    "\n  in: {}",
                    file_, line_at(pos), sql::sqlite::unterminated(sql_, t), line_at(start),
                    sql::sqlite::first_line_of(sql_, start, sql_.size())));
  }

  // The file line of offset `pos`. Offsets only grow between calls (except
  // for error messages), so counting resumes where it stopped.
  int line_at(std::size_t pos) {
    if (pos < line_pos_) {
      line_pos_ = 0;
      line_ = first_line_;
    }
    line_ += sql::count_newlines(sql_, line_pos_, pos);
    line_pos_ = pos;
    return line_;
  }

  const std::string& sql_;
  std::string buf_;
  int first_line_;
  const std::string& file_;
  int line_;  // the file line of offset line_pos_
  std::vector<Statement> out_;
  std::size_t segment_start_ = 0;
  std::size_t stmt_start_ = std::string::npos;
  std::size_t last_token_end_ = 0;
  std::size_t vtab_before_ = std::string::npos;  // a \v in the space since the last statement
  std::size_t line_pos_ = 0;
};

}  // namespace

std::vector<Statement> split_sql(const std::string& sql, int first_line, const std::string& file) {
  return Splitter(sql, first_line, file).run();
}

}  // namespace migrate::db::sqlite
