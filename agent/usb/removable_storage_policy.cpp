#include "agent/usb/removable_storage_policy.hpp"

namespace warden::agent {

namespace {
bool on(const std::optional<uint32_t>& v) {
  return v.has_value() && *v != 0;
}
}  // namespace

bool removable_storage_denied(const RemovableStorageState& s) {
  return on(s.deny_all) || (on(s.deny_read) && on(s.deny_write));
}

RemovableStoragePlan plan_removable_storage_policy(const AgentPolicy& policy,
                                                   const RemovableStorageState& now) {
  bool want = policy.usb.mode == "block" && policy.usb.allowed_storage.empty();
  if (want) {
    if (removable_storage_denied(now))
      return {RemovableStorageAction::none,
              now.written_by_agent ? "denied_by_agent" : "denied_by_administrator"};
    return {RemovableStorageAction::write_deny, "block_without_registered_drives"};
  }
  if (!now.written_by_agent)
    return {RemovableStorageAction::none,
            removable_storage_denied(now) ? "denied_by_administrator" : "not_denied"};
  if (policy.version == 0)  // the built-in default, not the collector's word
    return {RemovableStorageAction::none, "kept_default_policy"};
  return {RemovableStorageAction::remove_deny,
          policy.usb.mode == "block" ? "registered_drives_per_device_block" : "audit_mode"};
}

nlohmann::json to_json(const RemovableStorageState& s) {
  auto v = [](const std::optional<uint32_t>& x) -> nlohmann::json {
    return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
  };
  return {{"deny_all", v(s.deny_all)},
          {"deny_read", v(s.deny_read)},
          {"deny_write", v(s.deny_write)},
          {"denied", removable_storage_denied(s)},
          {"written_by_agent", s.written_by_agent}};
}

}  // namespace warden::agent
