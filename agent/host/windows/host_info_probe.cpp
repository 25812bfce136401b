// probe_host_info on Windows: the DNS host name (GetComputerNameExW), the OS version
// (RtlGetVersion, which unlike GetVersionEx is not capped by the manifest, plus the registry's
// product name, display version and update build revision), the architecture
// (GetNativeSystemInfo) and the machine GUID (HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid,
// the 64-bit view). `root` is for Linux fixture trees and is ignored here.
#include "agent/host/host_info_probe.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);

OSVERSIONINFOW rtl_version() {
  OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (ntdll == nullptr) win32::fail("GetModuleHandleW(ntdll.dll)", GetLastError());
  auto fn = reinterpret_cast<RtlGetVersionFn>(
      reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")));
  if (fn == nullptr) win32::fail("GetProcAddress(RtlGetVersion)", GetLastError());
  if (LONG status = fn(&v); status != 0)
    throw std::runtime_error("RtlGetVersion failed with NTSTATUS " + std::to_string(status));
  return v;
}

std::string arch_name(WORD arch) {
  switch (arch) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      return "x86_64";
    case PROCESSOR_ARCHITECTURE_ARM64:
      return "aarch64";
    case PROCESSOR_ARCHITECTURE_INTEL:
      return "i686";
    case PROCESSOR_ARCHITECTURE_ARM:
      return "arm";
    default:
      return "unknown(" + std::to_string(arch) + ")";
  }
}

}  // namespace

HostInfoFacts probe_host_info(const std::filesystem::path& /*root*/) {
  HostInfoFacts f;
  wchar_t name[256];
  DWORD n = sizeof name / sizeof name[0];
  if (!GetComputerNameExW(ComputerNameDnsHostname, name, &n))
    win32::fail("GetComputerNameExW(ComputerNameDnsHostname)", GetLastError());
  f.hostname = win32::utf8(std::wstring_view(name, n));

  const OSVERSIONINFOW v = rtl_version();
  const wchar_t* kCurrentVersion = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
  const auto product = win32::reg_string(HKEY_LOCAL_MACHINE, kCurrentVersion, L"ProductName");
  auto display = win32::reg_string(HKEY_LOCAL_MACHINE, kCurrentVersion, L"DisplayVersion");
  if (!display) display = win32::reg_string(HKEY_LOCAL_MACHINE, kCurrentVersion, L"ReleaseId");
  const auto ubr = win32::reg_dword(HKEY_LOCAL_MACHINE, kCurrentVersion, L"UBR");

  f.os_id = "windows";
  std::string os_name = product.value_or("Windows");
  // Windows 11 still says "Windows 10" in ProductName; build 22000 is the first Windows 11.
  if (v.dwMajorVersion == 10 && v.dwBuildNumber >= 22000 && os_name.rfind("Windows 10", 0) == 0)
    os_name.replace(0, 10, "Windows 11");
  if (display && !display->empty()) os_name += " " + *display;
  f.os_name = os_name;
  f.os_version = std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." +
                 std::to_string(v.dwBuildNumber);
  f.kernel = f.os_version + (ubr ? "." + std::to_string(*ubr) : std::string());

  SYSTEM_INFO si{};
  GetNativeSystemInfo(&si);
  f.arch = arch_name(si.wProcessorArchitecture);

  const auto guid =
      win32::reg_string(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Cryptography", L"MachineGuid");
  if (!guid)
    throw std::runtime_error(
        "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid is missing: no machine identity");
  f.machine_id = *guid;
  return f;
}

}  // namespace warden::agent
