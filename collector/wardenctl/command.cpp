#include "collector/wardenctl/command.hpp"

#include <ctime>
#include <iostream>
#include <sstream>

#include "common/duration.hpp"
#include "common/files.hpp"

namespace warden::ctl {

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  auto text = files::read_if_exists(path, 64u << 20);
  if (!text) throw Failure(invalid("cannot read " + path));
  return *text;
}

int64_t date_arg(const std::string& text, const char* flag) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end || *end)
    throw Failure(invalid(std::string(flag) + " '" + text +
                          "' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"));
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::chrono::seconds duration_arg(const std::string& text, const char* flag) {
  auto d = parse_duration(text);
  if (!d)
    throw Failure(invalid(std::string(flag) + " '" + text +
                          "' is not a duration (examples: 90s, 15m, 12h, 7d)"));
  return *d;
}

}  // namespace warden::ctl
