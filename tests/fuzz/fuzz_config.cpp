// Fuzz target: migrate.yaml loading with ${VAR} expansion (config/config.h).
// The input is the file's text, parsed as load_config() parses a file it
// read (and, first, the text given to expand_env alone). Properties: only migrate::Error is thrown,
// and every load error names the file; text without '$' expands to itself; a loaded config's paths
// are absolute.
//
// Each input starts with no remembered secret (config/secrets_forget.h), as
// a command starts: a URL in `databases:` remembers its password for
// redaction, and millions of inputs would otherwise pile them up, so that
// every redacted error scanned them all (the rate fell from 2,550 to 2,000
// runs/s and the memory rose past 770 MB within 1.5 million runs).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/config.h"
#include "config/secrets_forget.h"
#include "fuzz_support.h"
#include "util/error.h"

using migrate::fuzz::fail;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("FUZZ_A", "sqlite:///a.db", 1);
  ::setenv("FUZZ_EMPTY", "", 1);
  ::setenv("FUZZ_URL", "postgresql://user:s3cr3t@localhost:5432/db", 1);
  ::unsetenv("FUZZ_UNSET");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migrate::config::forget_secrets();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    std::string out = migrate::config::expand_env(text);
    if (text.find('$') == std::string::npos && out != text)
      fail("text without '$' changed in expansion", text + " -> " + out);
  } catch (const migrate::Error&) {
  }
  // The text as load_config() parses it once read (parse_config): no file
  // is written and read again per input.
  static const std::string path = "/fuzz/project/migrate.yaml";
  try {
    auto c = migrate::config::parse_config(text, path, std::nullopt);
    if (c.script_location.empty() || c.script_location[0] != '/')
      fail("a relative script_location", c.script_location);
    if (!c.schema_file.empty() && c.schema_file[0] != '/')
      fail("a relative schema_file", c.schema_file);
  } catch (const migrate::Error& e) {
    const std::string what = e.what();
    if (what.find(path) == std::string::npos) fail("a load error without the file", what);
  }
  return 0;
}
