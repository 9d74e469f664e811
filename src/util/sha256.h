// SHA-256 through OpenSSL's EVP interface (the one OpenSSL 3 keeps supported).
#pragma once

#include <string>
#include <string_view>

namespace migrate::util {

// 64 lowercase hex digits. Throws migrate::Error if OpenSSL fails (it does
// not, short of running out of memory).
std::string sha256_hex(std::string_view data);

}  // namespace migrate::util
