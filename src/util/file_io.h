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

// Whether replace_file() makes the new bytes durable (fsync) before they
// take the old file's place: yes for a file the user keeps, no for a cache
// that is rebuilt when lost.
enum class Sync { kYes, kNo };

// Writes `content` to `path`, replacing what it holds, as `sort -o` and
// `dot -o` do. When `path` is a regular file or does not exist, the bytes go
// to a new file with a name nothing else has, in the same directory (an
// existing file is never touched), which is then renamed over `path`: a
// reader, a full disk or a kill sees the old file or the new one, never
// half. The replaced file's permission bits are kept. Anything else at
// `path` (a symlink, a device, a FIFO) is opened and written in place:
// renaming over it would put a regular file where the link or the device
// node was. Throws migrate::Error "PATH: cannot write: REASON".
void replace_file(const std::string& path, const std::string& content, Sync sync = Sync::kYes);

}  // namespace migrate::util
