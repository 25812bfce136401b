#include "common/duration.hpp"

#include <charconv>
#include <ctime>

namespace warden {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  char last = text.back();
  if (last < '0' || last > '9') {
    switch (last) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return std::nullopt;
    }
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n <= 0) return std::nullopt;
  if (n > INT64_MAX / unit / 1000) return std::nullopt;
  return std::chrono::seconds(n * unit);
}

std::optional<std::chrono::milliseconds> parse_duration_ms(std::string_view text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    auto s = parse_duration(text.substr(0, text.size() - 2));  // a bare number: the count
    if (!s) return std::nullopt;
    return std::chrono::milliseconds(s->count());
  }
  auto s = parse_duration(text);
  if (!s) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*s);
}

std::string format_duration(std::chrono::seconds d) {
  int64_t s = d.count();
  if (s % 86400 == 0 && s >= 86400) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0 && s >= 3600) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0 && s >= 60) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_time_utc(int64_t unix_ms) {
  if (unix_ms <= 0) return {};
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
#ifdef _WIN32
  gmtime_s(&tm, &t);
#else
  gmtime_r(&t, &tm);
#endif
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace warden
