#pragma once
// The WardenAgent service's own configuration, shared by the MSI's custom action (before the
// service first starts) and the service itself (at each start, for installs made otherwise).
#include <optional>
#include <string>

namespace warden::agent {

inline constexpr wchar_t kServiceName[] = L"WardenAgent";

// Rewrites the service's ImagePath with `exe_path` quoted when it is ours and unquoted
// (agent/platform/service_image_path.hpp). Returns the new ImagePath, or nullopt when it was left
// as it is; throws std::runtime_error with the Win32 text when the service control manager
// refuses.
std::optional<std::string> quote_service_image_path(const std::string& exe_path);

}  // namespace warden::agent
