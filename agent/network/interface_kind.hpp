// What kind of link an interface is, from sysfs (driver, DEVTYPE, wireless/phy80211, ARPHRD type,
// the bus of its device) - never from its name.
#pragma once

#include <filesystem>
#include <string>

namespace warden::agent {

struct SysfsNetInfo {
  std::string name;
  int type = 0;             // ARPHRD_* from <if>/type
  std::string driver;       // basename of <if>/device/driver
  std::string devtype;      // DEVTYPE= in <if>/uevent
  bool wireless = false;    // <if>/wireless or <if>/phy80211 exists
  bool has_device = false;  // <if>/device exists (a physical device backs it)
  std::string bus;          // basename of <if>/device/subsystem: usb, pci, ...
};

// Reads <root>/sys/class/net/<name>/... (bounded reads; missing files leave defaults).
SysfsNetInfo read_sysfs_net_info(const std::filesystem::path& root, const std::string& name);

// Pure: ethernet | wireless | usb_network | ppp | virtual | loopback | other.
std::string classify_interface(const SysfsNetInfo& info);

// Drivers of USB network adapters used by tethered phones and 4G dongles.
bool is_tethering_driver(const std::string& driver);

}  // namespace warden::agent
