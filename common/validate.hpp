// Validation of every field that crosses a trust boundary (network, files, command line).
// Each function returns an empty string when the value is acceptable, or a reason a person
// understands.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warden::validate {

inline constexpr size_t kMaxSummaryBytes = 512;
inline constexpr size_t kMaxEvidenceBytes = 64 * 1024;
inline constexpr size_t kMaxFactsBytes = 1024 * 1024;
inline constexpr size_t kMaxEventDataBytes = 64 * 1024;
inline constexpr size_t kMaxFindingsPerReport = 512;
inline constexpr size_t kMaxHostFieldBytes = 256;
inline constexpr size_t kMaxMessageBytes = 4 * 1024 * 1024;
// On the admin socket (root and the collector's user only): an exchange bundle of up to 64 MiB.
inline constexpr size_t kMaxAdminMessageBytes = 80 * 1024 * 1024;

bool is_utf8(std::string_view s);
// Check IDs and event kinds: [a-z0-9_] segments separated by '.', 1..64 bytes.
std::string identifier(std::string_view what, std::string_view value);
// Summary keys (Finding.summary_key): empty, or 1..32 of [a-z0-9_].
std::string summary_key(std::string_view value);
// Printable UTF-8 without control characters, within max_bytes (may be empty if allow_empty).
std::string text(std::string_view what, std::string_view value, size_t max_bytes,
                 bool allow_empty = true);
// Department names: 1..128 bytes of printable UTF-8, '/' separates levels of the tree.
std::string department(std::string_view value);

}  // namespace warden::validate
