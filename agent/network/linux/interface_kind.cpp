#include "agent/network/interface_kind.hpp"

#include <net/if_arp.h>

#include <sstream>

#include "common/files.hpp"
#include "common/text.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

namespace {
std::string link_basename(const fs::path& p) {
  std::error_code ec;
  auto target = fs::read_symlink(p, ec);
  return ec ? std::string() : target.filename().string();
}
}  // namespace

SysfsNetInfo read_sysfs_net_info(const fs::path& root, const std::string& name) {
  SysfsNetInfo info;
  info.name = name;
  fs::path dir = root / "sys/class/net" / name;
  try {
    info.type = std::stoi(files::read_if_exists(dir / "type", 32).value_or("0"));
  } catch (...) {
    info.type = 0;
  }
  std::istringstream uevent(files::read_if_exists(dir / "uevent", 4096).value_or(""));
  std::string line;
  while (std::getline(uevent, line))
    if (line.rfind("DEVTYPE=", 0) == 0) info.devtype = text::trim(line.substr(8));
  std::error_code ec;
  info.wireless = fs::exists(dir / "wireless", ec) || fs::exists(dir / "phy80211", ec);
  info.has_device = fs::exists(dir / "device", ec);
  info.driver = link_basename(dir / "device/driver");
  info.bus = link_basename(dir / "device/subsystem");
  // A USB network function is an interface of a USB device: its subsystem is "usb".
  return info;
}

bool is_tethering_driver(const std::string& d) {
  static const char* kDrivers[] = {"rndis_host", "ipheth",       "cdc_ether",      "cdc_ncm",
                                   "qmi_wwan",   "cdc_mbim",     "huawei_cdc_ncm", "cdc_subset",
                                   "asix",       "ax88179_178a", "r8152",          "usbnet"};
  for (const char* k : kDrivers)
    if (d == k) return true;
  return false;
}

std::string classify_interface(const SysfsNetInfo& i) {
  if (i.type == ARPHRD_LOOPBACK) return "loopback";
  if (i.type == ARPHRD_PPP) return "ppp";
  if (i.wireless || i.devtype == "wlan") return "wireless";
  if (i.devtype == "wwan" || i.bus == "usb" || is_tethering_driver(i.driver)) return "usb_network";
  if (!i.has_device) return i.type == ARPHRD_ETHER || i.type == 0 ? "virtual" : "other";
  if (i.type == ARPHRD_ETHER) return "ethernet";
  return "other";
}

}  // namespace warden::agent
