#include "collector/wardenctl/command.hpp"

#include <ctime>
#include <iostream>
#include <sstream>

#include "common/duration.hpp"
#include "common/files.hpp"
#include "common/i18n/i18n.hpp"
#include "common/time_zone.hpp"

namespace warden::ctl {

using i18n::trf;

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  auto text = files::read_if_exists(path, 64u << 20);
  if (!text) throw Failure(invalid(trf("cannot read {1}", path)));
  return *text;
}

int64_t date_arg(const std::string& text, const char* flag) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end && !*end) return static_cast<int64_t>(timegm(&tm)) * 1000;  // an instant in UTC
  if (auto date = parse_civil_date(text)) return TimeZone::system().start_of(*date);
  throw Failure(
      invalid(trf("{1} '{2}' is not a date (YYYY-MM-DD, local midnight, or YYYY-MM-DDTHH:MM:SSZ)",
                  flag, text)));
}

std::chrono::seconds duration_arg(const std::string& text, const char* flag) {
  auto d = parse_duration(text);
  if (!d)
    throw Failure(
        invalid(trf("{1} '{2}' is not a duration (examples: 90s, 15m, 12h, 7d)", flag, text)));
  return *d;
}

}  // namespace warden::ctl
