#include "agent/usb/usb_probe.hpp"

#include <libudev.h>

#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "agent/usb/usb_classify.hpp"
#include "agent/usb/usb_device_text.hpp"
#include "common/duration.hpp"
#include "common/files.hpp"
#include "common/text.hpp"

namespace warden::agent {

namespace {

struct UdevDel {
  void operator()(udev* u) const { udev_unref(u); }
  void operator()(udev_enumerate* e) const { udev_enumerate_unref(e); }
  void operator()(udev_device* d) const { udev_device_unref(d); }
};

// Raw bytes of a sysfs attribute, read up to a bound; clean_usb_device() makes them safe.
std::string attr(udev_device* d, const char* name) {
  const char* v = udev_device_get_sysattr_value(d, name);
  return v ? std::string(v, strnlen(v, 4096)) : std::string();
}

template <typename F>
void children(udev_device* parent, const char* subsystem, F&& f) {
  udev* u = udev_device_get_udev(parent);
  std::unique_ptr<udev_enumerate, UdevDel> e(udev_enumerate_new(u));
  udev_enumerate_add_match_parent(e.get(), parent);
  udev_enumerate_add_match_subsystem(e.get(), subsystem);
  udev_enumerate_scan_devices(e.get());
  udev_list_entry* entry;
  udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e.get())) {
    std::unique_ptr<udev_device, UdevDel> c(
        udev_device_new_from_syspath(u, udev_list_entry_get_name(entry)));
    if (c) f(c.get());
  }
}

}  // namespace

UsbDevice read_usb_device(udev_device* dev, const std::string& mounts_text) {
  UsbDevice d;
  d.syspath = udev_device_get_syspath(dev);
  d.port = udev_device_get_sysname(dev) ? udev_device_get_sysname(dev) : "";
  d.vendor_id = attr(dev, "idVendor");
  d.product_id = attr(dev, "idProduct");
  d.serial = attr(dev, "serial");
  d.manufacturer = attr(dev, "manufacturer");
  d.product = attr(dev, "product");
  d.device_class = attr(dev, "bDeviceClass");
  d.speed = attr(dev, "speed");
  d.authorized = text::trim(attr(dev, "authorized")) != "0";
  const char* mtp = udev_device_get_property_value(dev, "ID_MTP_DEVICE");
  d.mtp = mtp && std::string(mtp) == "1";
  children(dev, "usb", [&](udev_device* c) {
    const char* type = udev_device_get_devtype(c);
    if (!type || std::string(type) != "usb_interface") return;
    const char* drv = udev_device_get_driver(c);
    d.interfaces.push_back({attr(c, "bInterfaceClass"), attr(c, "bInterfaceSubClass"),
                            attr(c, "bInterfaceProtocol"), attr(c, "interface"), drv ? drv : ""});
  });
  children(dev, "block", [&](udev_device* c) {
    const char* node = udev_device_get_devnode(c);
    if (!node) node = udev_device_get_property_value(c, "DEVNAME");
    if (!node || !*node) return;
    std::string n = node;
    if (n[0] != '/') n = "/dev/" + n;
    d.block_devices.push_back(n);
    std::istringstream in(mounts_text);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream w(line);
      std::string src, target;
      if (w >> src >> target && src == n) d.mount_points.push_back(target);
    }
  });
  d.seen_at = now_ms() / 1000;
  return clean_usb_device(std::move(d));
}

std::vector<UsbDevice> LinuxUsbProbe::collect() {
  std::unique_ptr<udev, UdevDel> u(udev_new());
  if (!u) throw std::runtime_error("cannot open libudev");
  std::unique_ptr<udev_enumerate, UdevDel> e(udev_enumerate_new(u.get()));
  udev_enumerate_add_match_subsystem(e.get(), "usb");
  udev_enumerate_add_match_property(e.get(), "DEVTYPE", "usb_device");
  udev_enumerate_scan_devices(e.get());
  std::string mounts = files::read_if_exists(ctx_.root / "proc/self/mounts", 1 << 20).value_or("");
  std::vector<UsbDevice> out;
  udev_list_entry* entry;
  udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e.get())) {
    std::unique_ptr<udev_device, UdevDel> d(
        udev_device_new_from_syspath(u.get(), udev_list_entry_get_name(entry)));
    if (!d) continue;
    auto dev = read_usb_device(d.get(), mounts);
    if (dev.kind == "hub" && dev.vendor_id == "1d6b")
      continue;  // root hubs are the controller, not a device
    out.push_back(std::move(dev));
  }
  return out;
}

std::string LinuxUsbProbe::deauthorize(const UsbDevice& d) {
  std::unique_ptr<udev, UdevDel> u(udev_new());
  std::unique_ptr<udev_device, UdevDel> dev(
      udev_device_new_from_syspath(u.get(), d.syspath.c_str()));
  if (!dev) return "device " + d.syspath + " is gone";
  if (udev_device_set_sysattr_value(dev.get(), "authorized", const_cast<char*>("0")) < 0)
    return "cannot write " + d.syspath + "/authorized";
  return {};
}

}  // namespace warden::agent
