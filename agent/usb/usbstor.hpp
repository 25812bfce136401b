// Interpreting what Windows records about USB devices: pure functions, compiled and unit-tested on
// Linux too (tests/unit/windows_usb_test.cpp). The Windows probe (windows/usb_probe.cpp) reads the
// registry and SetupAPI and hands the raw names here.
//
// All of it is attacker-controlled: a USB gadget chooses its vendor and product strings and its
// serial, and Windows builds these key names from them. Parsers are total (never throw), bound
// every piece, and their results pass through clean_usb_device() before they become facts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/usb/usb_facts.hpp"

namespace warden::agent {

inline constexpr size_t kMaxUsbstorEntries = 512;
inline constexpr size_t kMaxUsbKeyNameBytes = 512;

// "Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP" (HKLM\SYSTEM\CurrentControlSet\Enum\USBSTOR).
// Windows pads and replaces spaces with '_'; the strings come back with spaces, trimmed.
struct UsbstorDeviceKey {
  std::string type;  // Disk | CdRom | Other
  std::string vendor, product, revision;
};
std::optional<UsbstorDeviceKey> parse_usbstor_device_key(std::string_view key);

// "60A44C413A8CF1A0B9470040&0" (the instance key below a device key): the serial without the
// trailing "&<LUN>". An instance whose second character is '&' ("7&2a1b3c4d&0") is an ID Windows
// made up because the device has no serial: `serial` is empty then.
struct UsbSerial {
  std::string serial;
  bool generated = false;
};
UsbSerial parse_usbstor_instance(std::string_view instance);

// "VID_0951&PID_1666" (HKLM\...\Enum\USB) or a full instance ID "USB\VID_0951&PID_1666\<serial>"
// (SetupAPI); vendor/product as 4 lowercase hex digits, `serial` from the instance part (empty and
// generated when it has a '&': Windows' made-up "5&1a2b3c4d&0&2"). `interface_number` >= 0 for a
// composite device's interface ("VID_..&PID_..&MI_01").
struct UsbInstanceId {
  std::string vendor_id, product_id;
  UsbSerial serial;
  int interface_number = -1;
};
std::optional<UsbInstanceId> parse_usb_instance_id(std::string_view id);

// Compatible IDs ("USB\Class_08&SubClass_06&Prot_50", "USB\MS_COMP_MTP") to an interface entry;
// nullopt for IDs that name no class. `mtp` set for MS_COMP_MTP.
std::optional<UsbInterface> usb_interface_from_compatible_ids(const std::vector<std::string>& ids,
                                                              bool& mtp);

// One USBSTOR instance as read from the registry.
struct UsbstorRaw {
  std::string device_key;     // Disk&Ven_..&Prod_..&Rev_..
  std::string instance;       // <serial>&0
  std::string friendly_name;  // FriendlyName value ("Kingston DataTraveler 3.0 USB Device")
  std::optional<uint64_t> first_install;  // FILETIME of DEVPKEY_Device_FirstInstallDate
  std::optional<uint64_t> last_arrival;   // FILETIME of DEVPKEY_Device_LastArrivalDate
  std::optional<uint64_t> last_removal;   // FILETIME of DEVPKEY_Device_LastRemovalDate
  std::optional<uint64_t> key_written;    // the instance key's last write time (a fallback)
};

// Serial (upper case) -> (vendor_id, product_id) from the names under Enum\USB
// ("VID_0951&PID_1666" and its instance keys), skipping made-up serials.
using UsbSerialLinks = std::map<std::string, std::pair<std::string, std::string>>;
void add_usb_link(UsbSerialLinks& links, std::string_view device_key, std::string_view instance);

// A history device (kind storage, source "usbstor") from a USBSTOR instance: manufacturer and
// product from the key (FriendlyName when the key has no product), serial from the instance,
// vendor/product IDs through `links`, first/last seen from the device properties (last arrival,
// else the key's last write time), syspath = "USBSTOR\<device_key>\<instance>". nullopt when the
// names do not parse. Cleaned by clean_usb_device().
std::optional<UsbDevice> usbstor_history_device(const UsbstorRaw& raw, const UsbSerialLinks& links);

}  // namespace warden::agent
