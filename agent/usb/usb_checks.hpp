// Pure evaluation: usb.unregistered_storage and usb.portable_device.
#pragma once

#include <vector>

#include "agent/usb/usb_facts.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

bool usb_storage_allowed(const UsbDevice& d, const UsbPolicy& policy);
// `devices`: present now and seen since the last sweep. `deauthorized`: what block mode disabled.
std::vector<Finding> evaluate_usb(const std::vector<UsbDevice>& devices, const AgentPolicy& policy,
                                  const std::vector<UsbDevice>& deauthorized = {});

}  // namespace warden::agent
