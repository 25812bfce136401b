#include "agent/usb/usb_arrivals.hpp"

#include <set>

#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_module.hpp"

namespace warden::agent {

UsbChanges usb_changes(std::map<std::string, UsbDevice>& known,
                       const std::vector<UsbDevice>& present) {
  UsbChanges out;
  std::set<std::string> seen;
  size_t n = 0;
  for (const auto& d : present) {
    if (++n > 1024) break;
    if (d.syspath.empty() || !seen.insert(d.syspath).second) continue;
    if (known.emplace(d.syspath, d).second) out.attached.push_back(d);
  }
  for (auto it = known.begin(); it != known.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    out.detached.push_back(it->second);
    it = known.erase(it);
  }
  return out;
}

std::vector<AgentEvent> usb_change_events(const UsbChanges& changes, UsbProbe& probe,
                                          UsbHistory* history, const AgentPolicy& policy,
                                          int64_t at_ms) {
  std::vector<AgentEvent> out;
  for (auto d : changes.attached) {
    // When it arrived: now, unless the probe knows (SetupAPI's present list does not say).
    if (d.seen_at <= 0) d.seen_at = at_ms / 1000;
    if (history) history->record(d);
    std::vector<std::string> errors;
    auto blocked = enforce_usb_block(probe, {d}, policy, errors);
    AgentEvent ev;
    ev.kind = "usb.attached";
    ev.at_ms = at_ms;
    ev.data = to_json(d);
    ev.data["deauthorized"] = !blocked.empty();
    if (!errors.empty()) ev.data["block_errors"] = errors;
    for (auto& f : evaluate_usb({d}, policy, blocked))
      if (f.status == Status::fail) ev.findings.push_back(std::move(f));
    out.push_back(std::move(ev));
  }
  for (const auto& d : changes.detached) {
    AgentEvent ev;
    ev.kind = "usb.detached";
    ev.at_ms = at_ms;
    ev.data = to_json(d);
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace warden::agent
