#pragma once
// USB hot-plug where the system only says "something changed" (Windows' device notifications):
// the present devices are collected again and compared with those known before; each new one is
// recorded in the local history, judged at once (block mode disables unregistered storage), and
// becomes a "usb.attached" event, each vanished one a "usb.detached" event -- the same events the
// Linux udev watcher sends. Platform-free, unit-tested on Linux with a fake probe.
#include <map>
#include <string>
#include <vector>

#include "agent/check_module.hpp"
#include "agent/usb/usb_history.hpp"
#include "agent/usb/usb_probe.hpp"

namespace warden::agent {

struct UsbChanges {
  std::vector<UsbDevice> attached, detached;
};

// Compares `present` with `known` (syspath -> device) and updates `known`. Devices without a
// syspath cannot be told apart and are skipped; `present` is bounded to 1,024 devices.
UsbChanges usb_changes(std::map<std::string, UsbDevice>& known,
                       const std::vector<UsbDevice>& present);

// The events for `changes`: attached devices (seen_at = at_ms when the probe gave none) recorded
// into `history` (when given) and put through block mode with `probe` under `policy`, their
// failing findings attached.
std::vector<AgentEvent> usb_change_events(const UsbChanges& changes, UsbProbe& probe,
                                          UsbHistory* history, const AgentPolicy& policy,
                                          int64_t at_ms);

}  // namespace warden::agent
