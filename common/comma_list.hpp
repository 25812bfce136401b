// Lists kept as one comma-separated text (failing_checks columns, drive classes, settings):
// items never contain a comma, and empty items are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warden {

inline std::vector<std::string> split_commas(std::string_view joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    auto comma = joined.find(',', start);
    if (comma == std::string_view::npos) comma = joined.size();
    if (comma > start) out.emplace_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace warden
