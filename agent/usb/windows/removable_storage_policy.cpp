// The removable-storage deny policy in the registry (agent/usb/removable_storage_policy.hpp says
// when): reads Deny_All, the removable disk class's Deny_Read/Deny_Write and the agent's marker,
// writes or removes per the plan, and reads them back as evidence. Every registry failure is an
// error text for the module's `block_errors`, never an exception out of here.
#include "agent/usb/windows/windows_usb_probe.hpp"

#include <windows.h>

#include <stdexcept>
#include <string>

#include "agent/usb/removable_storage_policy.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

const wchar_t kPolicyKey[] = L"SOFTWARE\\Policies\\Microsoft\\Windows\\RemovableStorageDevices";
const wchar_t kDiskClassKey[] =
    L"SOFTWARE\\Policies\\Microsoft\\Windows\\RemovableStorageDevices\\"
    L"{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}";
const wchar_t kMarkerKey[] = L"SOFTWARE\\Warden\\Agent";
const wchar_t kMarkerValue[] = L"RemovableStorageDenyWritten";

// A REG_DWORD, nullopt when the key or value is absent or of another type (an administrator's
// REG_SZ "1" is not a deny Windows honours); throws on any other failure.
std::optional<uint32_t> dword(const wchar_t* key, const wchar_t* value) {
  HKEY h = nullptr;
  LSTATUS rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &h);
  if (rc == ERROR_FILE_NOT_FOUND) return std::nullopt;
  if (rc != ERROR_SUCCESS)
    win32::fail("RegOpenKeyExW(HKLM\\" + win32::utf8(key) + ")", static_cast<DWORD>(rc));
  DWORD type = 0, data = 0, size = sizeof data;
  rc = RegQueryValueExW(h, value, nullptr, &type, reinterpret_cast<BYTE*>(&data), &size);
  RegCloseKey(h);
  if (rc == ERROR_FILE_NOT_FOUND || (rc == ERROR_SUCCESS && (type != REG_DWORD || size != 4)) ||
      rc == ERROR_MORE_DATA)
    return std::nullopt;
  if (rc != ERROR_SUCCESS)
    win32::fail("RegQueryValueExW(HKLM\\" + win32::utf8(key) + "\\" + win32::utf8(value) + ")",
                static_cast<DWORD>(rc));
  return data;
}

RemovableStorageState read_state() {
  RemovableStorageState s;
  s.deny_all = dword(kPolicyKey, L"Deny_All");
  s.deny_read = dword(kDiskClassKey, L"Deny_Read");
  s.deny_write = dword(kDiskClassKey, L"Deny_Write");
  auto marker = dword(kMarkerKey, kMarkerValue);
  s.written_by_agent = marker.has_value() && *marker != 0;
  return s;
}

void set_dword(const wchar_t* key, const wchar_t* value, DWORD data) {
  HKEY h = nullptr;
  LSTATUS rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, key, 0, nullptr, REG_OPTION_NON_VOLATILE,
                               KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &h, nullptr);
  if (rc != ERROR_SUCCESS)
    win32::fail("RegCreateKeyExW(HKLM\\" + win32::utf8(key) + ")", static_cast<DWORD>(rc));
  rc = RegSetValueExW(h, value, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&data), sizeof data);
  RegCloseKey(h);
  if (rc != ERROR_SUCCESS)
    win32::fail("RegSetValueExW(HKLM\\" + win32::utf8(key) + "\\" + win32::utf8(value) + ")",
                static_cast<DWORD>(rc));
}

void delete_value(const wchar_t* key, const wchar_t* value) {
  HKEY h = nullptr;
  LSTATUS rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &h);
  if (rc == ERROR_FILE_NOT_FOUND) return;
  if (rc != ERROR_SUCCESS)
    win32::fail("RegOpenKeyExW(HKLM\\" + win32::utf8(key) + ")", static_cast<DWORD>(rc));
  rc = RegDeleteValueW(h, value);
  RegCloseKey(h);
  if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND)
    win32::fail("RegDeleteValueW(HKLM\\" + win32::utf8(key) + "\\" + win32::utf8(value) + ")",
                static_cast<DWORD>(rc));
}

const char* action_name(RemovableStorageAction a) {
  switch (a) {
    case RemovableStorageAction::write_deny:
      return "written";
    case RemovableStorageAction::remove_deny:
      return "removed";
    case RemovableStorageAction::none:
      break;
  }
  return "none";
}

}  // namespace

nlohmann::json WindowsUsbProbe::apply_storage_policy(const AgentPolicy& policy,
                                                     std::vector<std::string>& errors) {
  nlohmann::json out;
  try {
    auto plan = plan_removable_storage_policy(policy, read_state());
    // The marker first when writing and last when removing: an interruption leaves the marker,
    // so the agent still knows the values may be its own.
    if (plan.action == RemovableStorageAction::write_deny) {
      set_dword(kMarkerKey, kMarkerValue, 1);
      set_dword(kDiskClassKey, L"Deny_Read", 1);
      set_dword(kDiskClassKey, L"Deny_Write", 1);
    } else if (plan.action == RemovableStorageAction::remove_deny) {
      delete_value(kDiskClassKey, L"Deny_Read");
      delete_value(kDiskClassKey, L"Deny_Write");
      delete_value(kMarkerKey, kMarkerValue);
    }
    out = to_json(read_state());
    out["action"] = action_name(plan.action);
    out["reason"] = plan.reason;
  } catch (const std::exception& e) {
    errors.push_back(std::string("removable-storage deny policy: ") + e.what());
    out = {{"error", e.what()}};
  }
  return out;
}

}  // namespace warden::agent
