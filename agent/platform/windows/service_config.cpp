#include "agent/platform/windows/service_config.hpp"

#include <windows.h>

#include <vector>

#include "agent/platform/service_image_path.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {
struct ServiceHandle {
  SC_HANDLE h = nullptr;
  explicit ServiceHandle(SC_HANDLE v) : h(v) {}
  ServiceHandle(const ServiceHandle&) = delete;
  ServiceHandle& operator=(const ServiceHandle&) = delete;
  ~ServiceHandle() {
    if (h != nullptr) CloseServiceHandle(h);
  }
};
}  // namespace

std::optional<std::string> quote_service_image_path(const std::string& exe_path) {
  ServiceHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (scm.h == nullptr) win32::fail("OpenSCManagerW", GetLastError());
  ServiceHandle svc(
      OpenServiceW(scm.h, kServiceName, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG));
  if (svc.h == nullptr) win32::fail("OpenServiceW(WardenAgent)", GetLastError());
  DWORD needed = 0;
  if (QueryServiceConfigW(svc.h, nullptr, 0, &needed) ||
      GetLastError() != ERROR_INSUFFICIENT_BUFFER || needed == 0 || needed > (1u << 20))
    win32::fail("QueryServiceConfigW(WardenAgent)", GetLastError());
  std::vector<unsigned char> buf(needed);
  auto* cfg = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buf.data());
  if (!QueryServiceConfigW(svc.h, cfg, needed, &needed))
    win32::fail("QueryServiceConfigW(WardenAgent)", GetLastError());
  auto fixed = quoted_image_path(win32::utf8(cfg->lpBinaryPathName), exe_path);
  if (!fixed) return std::nullopt;
  if (!ChangeServiceConfigW(svc.h, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                            win32::wide(*fixed).c_str(), nullptr, nullptr, nullptr, nullptr,
                            nullptr, nullptr))
    win32::fail("ChangeServiceConfigW(WardenAgent, ImagePath)", GetLastError());
  return fixed;
}

}  // namespace warden::agent
