// Interface kinds from a fake sysfs tree laid out like the kernel's (symlinks included).
#include <net/if_arp.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "agent/network/interface_kind.hpp"
#include "tests/support/test_support.hpp"

using namespace warden::agent;
namespace fs = std::filesystem;

namespace {
void iface(const fs::path& root, const std::string& name, int type, const std::string& driver,
           const std::string& bus, const std::string& devtype, bool wireless) {
  fs::path dev = root / "sys/devices/fake" / name;
  fs::path net = root / "sys/class/net" / name;
  fs::create_directories(net);
  std::ofstream(net / "type") << type << "\n";
  std::ofstream(net / "uevent") << "INTERFACE=" << name << "\n"
                                << (devtype.empty() ? "" : "DEVTYPE=" + devtype + "\n");
  if (wireless) fs::create_directories(net / "wireless");
  if (!driver.empty() || !bus.empty()) {
    fs::create_directories(dev);
    fs::create_directories(root / "sys/bus" / (bus.empty() ? "pci" : bus) / "drivers" /
                           (driver.empty() ? "x" : driver));
    fs::create_directory_symlink(dev, net / "device");
    if (!driver.empty())
      fs::create_directory_symlink(
          root / "sys/bus" / (bus.empty() ? "pci" : bus) / "drivers" / driver, dev / "driver");
    fs::create_directory_symlink(root / "sys/bus" / (bus.empty() ? "pci" : bus), dev / "subsystem");
  }
}
}  // namespace

TEST_CASE("interface kinds come from sysfs, not names") {
  warden::test::TempDir t;
  iface(t.path(), "lo", ARPHRD_LOOPBACK, "", "", "", false);
  iface(t.path(), "enp3s0", ARPHRD_ETHER, "e1000e", "pci", "", false);
  iface(t.path(), "wlp2s0", ARPHRD_ETHER, "iwlwifi", "pci", "wlan", true);
  iface(t.path(), "enx0a1b", ARPHRD_ETHER, "rndis_host", "usb", "",
        false);  // a tethered Android phone
  iface(t.path(), "wwan0", ARPHRD_ETHER, "qmi_wwan", "usb", "wwan", false);  // a 4G dongle
  iface(t.path(), "eth0", ARPHRD_ETHER, "", "", "", false);  // named like hardware, but a veth
  iface(t.path(), "ppp0", ARPHRD_PPP, "", "", "", false);
  auto kind = [&](const std::string& n) {
    return classify_interface(read_sysfs_net_info(t.path(), n));
  };
  CHECK(kind("lo") == "loopback");
  CHECK(kind("enp3s0") == "ethernet");
  CHECK(kind("wlp2s0") == "wireless");
  CHECK(kind("enx0a1b") == "usb_network");
  CHECK(kind("wwan0") == "usb_network");
  CHECK(kind("eth0") == "virtual");
  CHECK(kind("ppp0") == "ppp");
  auto rndis = read_sysfs_net_info(t.path(), "enx0a1b");
  CHECK(rndis.driver == "rndis_host");
  CHECK(rndis.bus == "usb");
  CHECK(read_sysfs_net_info(t.path(), "wwan0").devtype == "wwan");
  CHECK(read_sysfs_net_info(t.path(), "missing").type == 0);
}
