// Plain facts about USB devices.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace warden::agent {

struct UsbInterface {
  std::string class_code;  // bInterfaceClass, 2 hex digits
  std::string subclass;
  std::string protocol;
  std::string name;  // the interface string ("MTP" on phones)
  std::string driver;
};

struct UsbDevice {
  std::string syspath;
  std::string port;  // sysfs name: bus-port.port (e.g. 1-2.3)
  std::string vendor_id, product_id, serial, manufacturer, product;
  std::string device_class;  // bDeviceClass
  std::string speed;         // Mb/s
  bool authorized = true;
  bool mtp = false;  // udev ID_MTP_DEVICE
  std::vector<UsbInterface> interfaces;
  std::vector<std::string> block_devices;  // /dev/sdb, /dev/sdb1
  std::vector<std::string> mount_points;
  std::string kind;     // storage | mtp | ptp | network | hid | hub | other
  int64_t seen_at = 0;  // for history entries
  // Windows' own device history (USBSTOR, agent/usb/usbstor.hpp): where the entry comes from and
  // the first/last arrival (Unix s). Unset on Linux, and then absent from the JSON.
  std::string source;
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

nlohmann::json to_json(const UsbDevice& d);
nlohmann::json to_json(const std::vector<UsbDevice>& devices);
UsbDevice usb_device_from_json(const nlohmann::json& j);

}  // namespace warden::agent
