// The USB probe interface. On Linux (linux/usb_probe.cpp) it enumerates USB devices with libudev:
// identity, interfaces, speed, port, and for mass storage the block devices and their mount points.
// Deauthorizes a device through sysfs `authorized` (as USBGuard does) when policy says block. On
// Windows (windows/usb_probe.cpp): SetupAPI's present devices, the USBSTOR registry history, and
// disabling the device node.
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
  // Storage devices the system remembers from before (Windows: USBSTOR), present or not, with
  // seen_at = their last arrival. Linux keeps no such history (the agent's own UsbHistory does).
  virtual std::vector<UsbDevice> history() { return {}; }
  // Windows: the removable-storage deny policy for `policy`
  // (agent/usb/removable_storage_policy.hpp: written in block mode without registered drives, what
  // the agent wrote removed otherwise). Returns its state as evidence, null where the platform has
  // none (Linux); a failure is appended to `errors` with the system's text.
  virtual nlohmann::json apply_storage_policy(const AgentPolicy& /*policy*/,
                                              std::vector<std::string>& /*errors*/) {
    return nullptr;
  }
};

#ifndef _WIN32
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
#endif

}  // namespace warden::agent
