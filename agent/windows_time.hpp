// Windows' FILETIME (100 ns intervals since 1601-01-01 UTC) as Unix time: platform-free, used by
// the parsers of Windows data (antivirus, usb) and unit-tested on Linux.
#pragma once

#include <cstdint>
#include <optional>

namespace warden::agent {

// Unix milliseconds; nullopt for 0, a time before 1970 or after the year 9999.
inline std::optional<int64_t> filetime_to_unix_ms(uint64_t filetime) {
  constexpr uint64_t kEpochDiff = 116444736000000000ULL;  // 1601-01-01 to 1970-01-01, 100 ns
  constexpr uint64_t kYear10000 = 2650467743999999999ULL;
  if (filetime <= kEpochDiff || filetime > kYear10000) return std::nullopt;
  return static_cast<int64_t>((filetime - kEpochDiff) / 10000);
}

}  // namespace warden::agent
