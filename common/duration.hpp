// Human durations on command lines and in config: "90s", "15m", "12h", "7d", "2w".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace warden {

// nullopt for anything that is not <positive integer><s|m|h|d|w> (a bare number means seconds).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
// Like parse_duration, and also accepts milliseconds: "250ms".
std::optional<std::chrono::milliseconds> parse_duration_ms(std::string_view text);
std::string format_duration(std::chrono::seconds d);

inline constexpr int64_t kDayMs = 86400000;  // one UTC day in milliseconds

int64_t now_ms();
// "2026-11-25T08:30:00Z"; empty for 0.
std::string format_time_utc(int64_t unix_ms);

}  // namespace warden
