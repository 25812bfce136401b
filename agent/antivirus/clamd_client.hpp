// clamd's control socket: "zVERSION\0" -> "ClamAV 1.4.6/27450/Sat Nov 22 07:27:00 2026".
#pragma once

#include <optional>
#include <string>

namespace warden::agent {

// The reply, or nullopt if nothing answers within the timeout.
std::optional<std::string> clamd_version(const std::string& socket_path, int timeout_ms = 2000);

// Reads KEY from a clamd.conf-style file text ("Key value" lines, # comments).
std::string clamd_conf_value(const std::string& text, const std::string& key);

}  // namespace warden::agent
