#pragma once
// A Windows service's ImagePath must quote the executable's path when it contains a space:
// unquoted, `C:\Program Files\Warden\warden-agent.exe run` is also read as `C:\Program.exe` with
// arguments (the "unquoted service path" privilege escalation). Wine's msi (and so an MSI built by
// wixl and installed there) writes it unquoted; the MSI's custom action and the service itself
// fix it with this (platform-free, unit-tested on Linux; the Win32 side is
// agent/platform/windows/).
#include <optional>
#include <string>
#include <string_view>

namespace warden::agent {

// The ImagePath to write instead of `current`, or nullopt when nothing must change: already
// quoted, or not our executable (compared case-insensitively, as Windows paths are) followed by
// the end or a space. `exe_path` is the full path of warden-agent.exe as installed. Paths
// containing a quote or a control character are refused (nullopt): no such path is valid on
// Windows.
std::optional<std::string> quoted_image_path(std::string_view current, std::string_view exe_path);

}  // namespace warden::agent
