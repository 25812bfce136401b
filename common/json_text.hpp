// JSON text that cannot fail. nlohmann::json::dump() throws type_error 316 on a string that is
// not valid UTF-8, and facts hold strings from devices and files: one such string must not take a
// sweep, an event or a whole process down. Invalid bytes become U+FFFD instead (probes also clean
// what they read, text::valid_utf8/printable; this is the last line).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace warden {

inline std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace warden
