#include "agent/usb/usb_module.hpp"

#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_classify.hpp"
#include "common/duration.hpp"

namespace warden::agent {

std::vector<UsbDevice> enforce_usb_block(UsbProbe& probe, const std::vector<UsbDevice>& devices,
                                         const AgentPolicy& policy,
                                         std::vector<std::string>& errors) {
  std::vector<UsbDevice> blocked;
  if (policy.usb.mode != "block") return blocked;
  for (const auto& d : devices) {
    if (!usb_is_storage(d) || !d.authorized || usb_storage_allowed(d, policy.usb)) continue;
    auto err = probe.deauthorize(d);
    if (err.empty())
      blocked.push_back(d);
    else
      errors.push_back(err);
  }
  return blocked;
}

ModuleResult UsbModule::run(const AgentPolicy& policy) {
  auto present = probe_->collect();
  std::vector<std::string> errors;
  auto blocked = enforce_usb_block(*probe_, present, policy, errors);
  auto deny_policy = probe_->apply_storage_policy(policy, errors);
  int64_t now = now_ms() / 1000;
  int64_t last = history_ ? history_->swap_last_sweep(now) : now;
  auto recent = history_ ? history_->seen_since(last, present) : std::vector<UsbDevice>{};
  // The system's own storage history (Windows USBSTOR): reported in the facts (the collector's
  // usb.cross_use sees drives used before the agent was installed); judged here only when it
  // arrived since the previous sweep, like the agent's own history.
  auto same = [](const UsbDevice& a, const UsbDevice& b) {
    return !a.serial.empty() && a.serial == b.serial && a.vendor_id == b.vendor_id &&
           a.product_id == b.product_id;
  };
  std::vector<UsbDevice> past;
  for (auto& d : probe_->history()) {
    bool here = false;
    for (const auto& p : present) here |= same(p, d);
    if (here) continue;
    bool known = false;
    for (const auto& e : recent) known |= same(e, d);
    if (!known && last > 0 && d.seen_at > last) recent.push_back(d);
    past.push_back(std::move(d));
  }
  ModuleResult r;
  r.facts = nlohmann::json::array();
  for (const auto& d : present) {
    auto j = to_json(d);
    j["present"] = true;
    r.facts.push_back(j);
  }
  for (const auto& d : recent) {
    if (!d.source.empty()) continue;  // a system-history entry: listed below
    auto j = to_json(d);
    j["present"] = false;
    r.facts.push_back(j);
  }
  for (const auto& d : past) {
    auto j = to_json(d);
    j["present"] = false;
    j["history"] = true;
    r.facts.push_back(j);
  }
  auto all = present;
  all.insert(all.end(), recent.begin(), recent.end());
  r.findings = evaluate_usb(all, policy, blocked);
  if (!errors.empty()) r.findings[0].evidence["block_errors"] = errors;
  if (!deny_policy.is_null()) r.findings[0].evidence["removable_storage_policy"] = deny_policy;
  return r;
}

}  // namespace warden::agent
