#include "agent/usb/usb_device_text.hpp"

#include "agent/usb/usb_classify.hpp"
#include "common/text.hpp"

namespace warden::agent {

namespace {

// Lowercase hex digits only, at most `digits` of them: what the kernel prints for a descriptor
// byte or word. Anything else a udev rule or a fake sysfs could put there is dropped.
std::string hex_code(const std::string& raw, size_t digits) {
  std::string out;
  for (char c : text::lower(text::trim(raw))) {
    if (out.size() == digits) break;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) out += c;
  }
  return out;
}

void bound_paths(std::vector<std::string>& paths) {
  if (paths.size() > kMaxUsbBlockDevices) paths.resize(kMaxUsbBlockDevices);
  for (auto& p : paths) p = text::valid_utf8(p, kMaxUsbPathBytes);
}

}  // namespace

UsbDevice clean_usb_device(UsbDevice d) {
  d.port = text::printable(d.port, 32);
  d.vendor_id = hex_code(d.vendor_id, 4);
  d.product_id = hex_code(d.product_id, 4);
  d.device_class = hex_code(d.device_class, 2);
  d.serial = text::printable(d.serial, kMaxUsbNameBytes);
  d.manufacturer = text::printable(d.manufacturer, kMaxUsbNameBytes);
  d.product = text::printable(d.product, kMaxUsbNameBytes);
  d.speed = text::printable(d.speed, 16);
  if (d.interfaces.size() > kMaxUsbInterfaces) d.interfaces.resize(kMaxUsbInterfaces);
  for (auto& i : d.interfaces) {
    i.class_code = hex_code(i.class_code, 2);
    i.subclass = hex_code(i.subclass, 2);
    i.protocol = hex_code(i.protocol, 2);
    i.name = text::printable(i.name, kMaxUsbInterfaceBytes);
    i.driver = text::printable(i.driver, kMaxUsbInterfaceBytes);
  }
  bound_paths(d.block_devices);
  bound_paths(d.mount_points);
  d.kind = classify_usb(d);
  return d;
}

}  // namespace warden::agent
