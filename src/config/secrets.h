// Passwords kept out of every output (contract: "A password never appears in
// any output, log or error message"), by two mechanisms that do not depend
// on how a message is worded:
//
// - Known secrets. Every password this run has seen in a database URL (on
//   the command line, in the environment, in migrate.yaml) is remembered,
//   raw and percent-decoded; redact_secrets() hides each wherever it
//   appears, so libpq quoting a bad password token, or CLI11 quoting an
//   argument, cannot print it.
// - Shapes. Text that looks like `scheme://user:password@host`, a conninfo
//   `password=...`, or a URL query `?password=...` has the value hidden
//   even when the secret was never seen (e.g. a server's message).
#pragma once

#include <string>
#include <string_view>

namespace migrate::config {

// Remembers the passwords of every URL-like part of `text`: the user info
// after its first ':' (up to the last '@' of the authority, so a raw '@' in
// a password counts), and the values of `password` / `sslpassword` query
// parameters however their keys are percent-encoded. Cheap for text
// without "://". Thread-safe.
void remember_secrets_in(std::string_view text);

// `text` with every remembered secret and every password-shaped value
// replaced by "***". Errs on the side of hiding too much. A remembered
// secret is hidden where it is not part of a longer run of letters and
// digits, so that the common password "postgres" hides the user
// "postgres" but leaves "postgresql://" readable.
std::string redact_secrets(const std::string& text);

// Whether the percent-decoded query key names a secret for libpq
// (`password`, `sslpassword`; compared case-insensitively).
bool is_secret_parameter(std::string_view decoded_key);

// Lenient percent-decoding for redaction: a bad escape is kept as it is.
std::string percent_decode_lenient(std::string_view s);

}  // namespace migrate::config
