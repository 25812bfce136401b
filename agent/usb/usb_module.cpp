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
  int64_t now = now_ms() / 1000;
  int64_t last = history_ ? history_->swap_last_sweep(now) : now;
  auto recent = history_ ? history_->seen_since(last, present) : std::vector<UsbDevice>{};
  ModuleResult r;
  r.facts = nlohmann::json::array();
  for (const auto& d : present) {
    auto j = to_json(d);
    j["present"] = true;
    r.facts.push_back(j);
  }
  for (const auto& d : recent) {
    auto j = to_json(d);
    j["present"] = false;
    r.facts.push_back(j);
  }
  auto all = present;
  all.insert(all.end(), recent.begin(), recent.end());
  r.findings = evaluate_usb(all, policy, blocked);
  if (!errors.empty()) r.findings[0].evidence["block_errors"] = errors;
  return r;
}

}  // namespace warden::agent
