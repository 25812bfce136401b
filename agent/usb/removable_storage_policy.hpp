#pragma once
// Windows' removable-storage deny policy as the second half of USB block mode (issue 15):
// HKLM\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices\{53f5630d-...} (the removable
// disk class) Deny_Read/Deny_Write, which Windows enforces for every removable disk, including
// ones plugged in while the agent is not looking. It cannot make exceptions, so the agent writes it
// only in block mode when no drive is registered for this host; with registered drives block mode
// disables each unregistered drive's device node instead (UsbProbe::deauthorize), as on Linux.
// The agent removes only what it wrote itself (a marker value), never an administrator's own
// policy, and never on the built-in default policy (`check` without the collector's policy must
// not undo what the collector asked for). Platform-free, unit-tested on Linux; the registry side
// is agent/usb/windows/removable_storage_policy.cpp.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/agent_policy.hpp"

namespace warden::agent {

inline constexpr const char* kRemovableDiskClassGuid = "{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}";

// What the registry holds now. A value that is absent, or not a REG_DWORD, is nullopt.
struct RemovableStorageState {
  std::optional<uint32_t> deny_all;    // RemovableStorageDevices\Deny_All
  std::optional<uint32_t> deny_read;   // ...\{53f5630d-...}\Deny_Read
  std::optional<uint32_t> deny_write;  // ...\{53f5630d-...}\Deny_Write
  bool written_by_agent = false;       // the agent's marker (HKLM\SOFTWARE\Warden\Agent)
};

enum class RemovableStorageAction { none, write_deny, remove_deny };

struct RemovableStoragePlan {
  RemovableStorageAction action = RemovableStorageAction::none;
  std::string reason;  // evidence: why
};

RemovableStoragePlan plan_removable_storage_policy(const AgentPolicy& policy,
                                                   const RemovableStorageState& now);

// True when Windows denies reading and writing removable disks with these values.
bool removable_storage_denied(const RemovableStorageState& s);

// Evidence: {"deny_all", "deny_read", "deny_write" (null when unset), "denied",
// "written_by_agent"}.
nlohmann::json to_json(const RemovableStorageState& s);

}  // namespace warden::agent
