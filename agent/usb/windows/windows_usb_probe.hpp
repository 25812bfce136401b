// The Windows USB probe: present USB devices through SetupAPI (identity from the instance ID,
// class from the compatible IDs, composite devices' interfaces folded into their device), the
// storage history from the registry (Enum\USBSTOR, linked to VID/PID through Enum\USB, first/last
// arrival from the device properties), and block mode by disabling the device node and by the
// removable-storage deny policy (removable_storage_policy.cpp). The names are
// interpreted by the pure functions of agent/usb/usbstor.hpp.
#pragma once

#include "agent/usb/usb_probe.hpp"

namespace warden::agent {

class WindowsUsbProbe : public UsbProbe {
 public:
  std::vector<UsbDevice> collect() override;
  std::string deauthorize(const UsbDevice& d) override;
  std::vector<UsbDevice> history() override;
  nlohmann::json apply_storage_policy(const AgentPolicy& policy,
                                      std::vector<std::string>& errors) override;
};

}  // namespace warden::agent
