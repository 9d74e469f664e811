// Whole-file reads and writes with errors that name the path and the OS's
// reason. Reading is one open/fstat/read/close: loading thousands of revision
// files is on the hot path of every command.
#pragma once

#include <string>

namespace migrate::util {

// The file's bytes. Throws migrate::Error "PATH: cannot read: REASON".
std::string read_file(const std::string& path);

// The same for `name` inside the directory open as `dir_fd` (openat: no
// path walk per file when reading a whole directory). `display_path` is what
// error messages call the file.
std::string read_file_at(int dir_fd, const char* name, const std::string& display_path);

// Creates `path` with `content`; refuses (migrate::Error) if it exists, so
// that two writers can never silently overwrite each other's file. All or
// nothing: the bytes go to a temporary file in the same directory first
// (synced, then linked to `path`), so a full disk, a file size limit or a
// kill leaves either the whole file or no file.
void write_new_file(const std::string& path, const std::string& content);

}  // namespace migrate::util
