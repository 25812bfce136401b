// Small text helpers shared across the code base.
#pragma once

#include <string>
#include <string_view>

namespace warden::text {

// Without leading and trailing spaces, tabs, CR and LF.
std::string trim(std::string_view s);
// ASCII lowercase (host names, hex digits, MAC addresses).
std::string lower(std::string_view s);

}  // namespace warden::text
