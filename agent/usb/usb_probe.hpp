// Enumerates USB devices with libudev: identity, interfaces, speed, port, and for mass storage
// the block devices and their mount points. Deauthorizes a device through sysfs `authorized`
// (as USBGuard does) when policy says block.
#pragma once

#include <optional>

#include "agent/check_module.hpp"
#include "agent/usb/usb_facts.hpp"

struct udev_device;

namespace warden::agent {

class UsbProbe {
 public:
  virtual ~UsbProbe() = default;
  virtual std::vector<UsbDevice> collect() = 0;
  // Writes authorized=0; returns an error text, empty on success.
  virtual std::string deauthorize(const UsbDevice& d) = 0;
};

class LinuxUsbProbe : public UsbProbe {
 public:
  explicit LinuxUsbProbe(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  std::vector<UsbDevice> collect() override;
  std::string deauthorize(const UsbDevice& d) override;

 private:
  ProbeContext ctx_;
};

// One usb_device from libudev, with its interfaces and block devices (mounts from mounts_text).
UsbDevice read_usb_device(udev_device* dev, const std::string& mounts_text);

}  // namespace warden::agent
