#include "agent/usb/windows/windows_usb_probe.hpp"

// clang-format off
#include <windows.h>
#include <initguid.h>
#include <devpkey.h>
#include <setupapi.h>
// clang-format on

#include <map>
#include <optional>
#include <stdexcept>

#include "agent/usb/usb_device_text.hpp"
#include "agent/usb/usbstor.hpp"
#include "common/text.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

constexpr size_t kMaxPresentDevices = 1024;
const wchar_t* const kEnum = L"SYSTEM\\CurrentControlSet\\Enum";

class DevInfo {
 public:
  explicit DevInfo(HDEVINFO h, const char* what) : h_(h) {
    if (h_ == INVALID_HANDLE_VALUE) win32::fail(what, GetLastError());
  }
  ~DevInfo() { SetupDiDestroyDeviceInfoList(h_); }
  DevInfo(const DevInfo&) = delete;
  DevInfo& operator=(const DevInfo&) = delete;
  HDEVINFO get() const { return h_; }

 private:
  HDEVINFO h_;
};

std::string instance_id(HDEVINFO set, SP_DEVINFO_DATA& data) {
  wchar_t buf[1024];
  DWORD need = 0;
  if (!SetupDiGetDeviceInstanceIdW(set, &data, buf, 1024, &need))
    win32::fail("SetupDiGetDeviceInstanceIdW", GetLastError());
  return win32::utf8(buf, 1024);
}

// A string (REG_SZ) or string list (REG_MULTI_SZ) device property; empty when absent.
std::vector<std::string> reg_property(HDEVINFO set, SP_DEVINFO_DATA& data, DWORD prop) {
  std::vector<std::string> out;
  wchar_t buf[2048] = {};
  DWORD type = 0, need = 0;
  if (!SetupDiGetDeviceRegistryPropertyW(set, &data, prop, &type, reinterpret_cast<BYTE*>(buf),
                                         sizeof buf - 2 * sizeof(wchar_t), &need))
    return out;  // ERROR_INVALID_DATA: the device has no such property
  if (type != REG_SZ && type != REG_MULTI_SZ) return out;
  const size_t n = sizeof buf / sizeof buf[0];
  for (size_t i = 0; i < n && buf[i] != L'\0' && out.size() < 32;) {
    std::string s = win32::utf8(buf + i, n - i);
    while (i < n && buf[i] != L'\0') ++i;
    ++i;
    out.push_back(std::move(s));
    if (type == REG_SZ) break;
  }
  return out;
}

std::string first(const std::vector<std::string>& v) {
  return v.empty() ? std::string() : v[0];
}

// Subkey names of HKLM\<path>; empty when the key does not exist.
std::vector<std::wstring> subkeys(const std::wstring& path, size_t max) {
  HKEY k = nullptr;
  LSTATUS rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0,
                             KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k);
  if (rc == ERROR_FILE_NOT_FOUND) return {};
  if (rc != ERROR_SUCCESS)
    win32::fail("RegOpenKeyExW HKLM\\" + win32::utf8(path), static_cast<DWORD>(rc));
  std::vector<std::wstring> out;
  for (DWORD i = 0; out.size() < max; ++i) {
    wchar_t name[256];
    DWORD len = 256;
    rc = RegEnumKeyExW(k, i, name, &len, nullptr, nullptr, nullptr, nullptr);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc == ERROR_MORE_DATA) continue;  // longer than a key name may be: skip it
    if (rc != ERROR_SUCCESS) {
      RegCloseKey(k);
      win32::fail("RegEnumKeyExW HKLM\\" + win32::utf8(path), static_cast<DWORD>(rc));
    }
    out.emplace_back(name, len);
  }
  RegCloseKey(k);
  return out;
}

// The 8-byte FILETIME default value of HKLM\<path> (a device property as the registry keeps it).
std::optional<uint64_t> filetime_value(const std::wstring& path) {
  HKEY k = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k) !=
      ERROR_SUCCESS)
    return std::nullopt;
  uint64_t v = 0;
  DWORD size = sizeof v, type = 0;
  LSTATUS rc = RegQueryValueExW(k, nullptr, nullptr, &type, reinterpret_cast<BYTE*>(&v), &size);
  RegCloseKey(k);
  if (rc != ERROR_SUCCESS || size != sizeof v) return std::nullopt;
  return v;
}

std::optional<uint64_t> key_written(const std::wstring& path) {
  HKEY k = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k) !=
      ERROR_SUCCESS)
    return std::nullopt;
  FILETIME ft{};
  LSTATUS rc = RegQueryInfoKeyW(k, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                nullptr, nullptr, nullptr, &ft);
  RegCloseKey(k);
  if (rc != ERROR_SUCCESS) return std::nullopt;
  return (static_cast<uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

// A FILETIME device property through SetupAPI (the supported way), for a device it knows.
std::optional<uint64_t> setupapi_filetime(HDEVINFO set, SP_DEVINFO_DATA& data,
                                          const DEVPROPKEY& key) {
  DEVPROPTYPE type = 0;
  FILETIME ft{};
  DWORD need = 0;
  if (!SetupDiGetDevicePropertyW(set, &data, &key, &type, reinterpret_cast<BYTE*>(&ft), sizeof ft,
                                 &need, 0) ||
      type != DEVPROP_TYPE_FILETIME)
    return std::nullopt;
  return (static_cast<uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

}  // namespace

std::vector<UsbDevice> WindowsUsbProbe::collect() {
  DevInfo set(SetupDiGetClassDevsW(nullptr, L"USB", nullptr, DIGCF_ALLCLASSES | DIGCF_PRESENT),
              "SetupDiGetClassDevsW(USB, present)");
  std::vector<UsbDevice> devices;
  std::multimap<std::string, UsbInterface> interfaces;  // "vid:pid" -> a composite's interface
  std::map<std::string, bool> mtp;
  for (DWORD i = 0; devices.size() < kMaxPresentDevices; ++i) {
    SP_DEVINFO_DATA data{};
    data.cbSize = sizeof data;
    if (!SetupDiEnumDeviceInfo(set.get(), i, &data)) {
      DWORD err = GetLastError();
      if (err == ERROR_NO_MORE_ITEMS) break;
      win32::fail("SetupDiEnumDeviceInfo", err);
    }
    const std::string id = instance_id(set.get(), data);
    auto parsed = parse_usb_instance_id(id);
    if (!parsed) continue;  // root hubs and other devices without VID/PID
    bool is_mtp = false;
    auto iface = usb_interface_from_compatible_ids(
        reg_property(set.get(), data, SPDRP_COMPATIBLEIDS), is_mtp);
    const std::string service = first(reg_property(set.get(), data, SPDRP_SERVICE));
    const std::string vp = parsed->vendor_id + ":" + parsed->product_id;
    if (parsed->interface_number >= 0) {
      if (iface) {
        iface->driver = service;
        iface->name = first(reg_property(set.get(), data, SPDRP_DEVICEDESC));
        interfaces.emplace(vp, *iface);
      }
      mtp[vp] = mtp[vp] || is_mtp;
      continue;
    }
    UsbDevice d;
    d.syspath = text::valid_utf8(id, kMaxUsbKeyNameBytes);
    d.vendor_id = parsed->vendor_id;
    d.product_id = parsed->product_id;
    d.serial = parsed->serial.serial;
    d.manufacturer = first(reg_property(set.get(), data, SPDRP_MFG));
    d.product = first(reg_property(set.get(), data, SPDRP_FRIENDLYNAME));
    if (d.product.empty()) d.product = first(reg_property(set.get(), data, SPDRP_DEVICEDESC));
    d.port = first(reg_property(set.get(), data, SPDRP_LOCATION_INFORMATION));
    d.mtp = is_mtp;
    if (iface) {
      iface->driver = service;
      d.interfaces.push_back(*iface);
      d.device_class = iface->class_code;
    }
    devices.push_back(std::move(d));
  }
  for (auto& d : devices) {
    const std::string vp = d.vendor_id + ":" + d.product_id;
    auto [b, e] = interfaces.equal_range(vp);
    for (auto it = b; it != e; ++it) d.interfaces.push_back(it->second);
    d.mtp = d.mtp || mtp[vp];
    d = clean_usb_device(std::move(d));
  }
  return devices;
}

std::vector<UsbDevice> WindowsUsbProbe::history() {
  const std::wstring enum_root = kEnum;
  const auto devices = subkeys(enum_root + L"\\USBSTOR", kMaxUsbstorEntries);
  if (devices.empty()) return {};  // no storage device was ever attached
  // VID/PID by serial, from the USB devices' keys.
  UsbSerialLinks links;
  for (const auto& dev : subkeys(enum_root + L"\\USB", kMaxUsbstorEntries))
    for (const auto& inst : subkeys(enum_root + L"\\USB\\" + dev, 64))
      add_usb_link(links, win32::utf8(dev), win32::utf8(inst));
  // SetupAPI's view of USBSTOR devices, present or not (for the device properties). Optional: the
  // registry holds the same properties, and a PC whose USBSTOR enumerator SetupAPI does not list
  // still has its history read.
  HDEVINFO set = SetupDiGetClassDevsW(nullptr, L"USBSTOR", nullptr, DIGCF_ALLCLASSES);
  std::optional<DevInfo> setupapi;
  if (set != INVALID_HANDLE_VALUE) setupapi.emplace(set, "SetupDiGetClassDevsW(USBSTOR)");
  std::vector<UsbDevice> out;
  for (const auto& dev : devices) {
    for (const auto& inst : subkeys(enum_root + L"\\USBSTOR\\" + dev, 64)) {
      if (out.size() >= kMaxUsbstorEntries) break;
      const std::wstring key = enum_root + L"\\USBSTOR\\" + dev + L"\\" + inst;
      UsbstorRaw raw;
      raw.device_key = win32::utf8(dev);
      raw.instance = win32::utf8(inst);
      raw.friendly_name =
          win32::reg_string(HKEY_LOCAL_MACHINE, key.c_str(), L"FriendlyName").value_or("");
      SP_DEVINFO_DATA data{};
      data.cbSize = sizeof data;
      const std::wstring id = L"USBSTOR\\" + dev + L"\\" + inst;
      if (setupapi && SetupDiOpenDeviceInfoW(setupapi->get(), id.c_str(), nullptr, 0, &data)) {
        HDEVINFO h = setupapi->get();
        raw.first_install = setupapi_filetime(h, data, DEVPKEY_Device_FirstInstallDate);
        raw.last_arrival = setupapi_filetime(h, data, DEVPKEY_Device_LastArrivalDate);
        raw.last_removal = setupapi_filetime(h, data, DEVPKEY_Device_LastRemovalDate);
      }
      // The same properties as the registry keeps them (readable by SYSTEM), for what SetupAPI
      // does not answer.
      const std::wstring props = key + L"\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\";
      if (!raw.first_install) raw.first_install = filetime_value(props + L"0065");
      if (!raw.last_arrival) raw.last_arrival = filetime_value(props + L"0066");
      if (!raw.last_removal) raw.last_removal = filetime_value(props + L"0067");
      raw.key_written = key_written(key);
      if (auto d = usbstor_history_device(raw, links)) out.push_back(std::move(*d));
    }
  }
  return out;
}

std::string WindowsUsbProbe::deauthorize(const UsbDevice& d) {
  try {
    DevInfo set(SetupDiCreateDeviceInfoList(nullptr, nullptr), "SetupDiCreateDeviceInfoList");
    SP_DEVINFO_DATA data{};
    data.cbSize = sizeof data;
    if (!SetupDiOpenDeviceInfoW(set.get(), win32::wide(d.syspath).c_str(), nullptr, 0, &data))
      win32::fail("SetupDiOpenDeviceInfoW " + d.syspath, GetLastError());
    SP_PROPCHANGE_PARAMS p{};
    p.ClassInstallHeader.cbSize = sizeof(SP_CLASSINSTALL_HEADER);
    p.ClassInstallHeader.InstallFunction = DIF_PROPERTYCHANGE;
    p.StateChange = DICS_DISABLE;
    p.Scope = DICS_FLAG_GLOBAL;
    if (!SetupDiSetClassInstallParamsW(set.get(), &data, &p.ClassInstallHeader, sizeof p))
      win32::fail("SetupDiSetClassInstallParamsW " + d.syspath, GetLastError());
    if (!SetupDiCallClassInstaller(DIF_PROPERTYCHANGE, set.get(), &data))
      win32::fail("SetupDiCallClassInstaller(DIF_PROPERTYCHANGE, disable) " + d.syspath,
                  GetLastError());
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace warden::agent
