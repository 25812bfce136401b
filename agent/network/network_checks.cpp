#include "agent/network/network_checks.hpp"

namespace warden::agent {

Finding evaluate_unauthorized_interfaces(const NetworkFacts& facts, const NetworkPolicy& policy) {
  nlohmann::json found = nlohmann::json::array();
  std::string first;  // the summary variant of the first exit found
  auto flag = [&](const char* variant, nlohmann::json ev) {
    if (first.empty()) first = variant;
    found.push_back(std::move(ev));
  };
  for (const auto& i : facts.interfaces) {
    nlohmann::json ev = {
        {"interface", i.name}, {"kind", i.kind}, {"driver", i.driver}, {"up", i.up}};
    if (i.kind == "wireless" && !policy.allow_wireless) {
      ev["reason"] = "wireless network interface";
      // Windows' WLAN API says which network it is connected to (matched by description).
      for (const auto& w : facts.wlan)
        if (w.interface == i.driver && w.state == "connected" && !w.ssid.empty()) {
          ev["ssid"] = w.ssid;
          ev["bssid"] = w.bssid;
        }
      flag("wireless", ev);
    } else if (i.kind == "usb_network" && !policy.allow_usb_network) {
      ev["reason"] = "USB network adapter (tethered phone, 4G dongle or USB NIC)";
      flag("usb_network", ev);
    } else if (i.kind == "ppp") {
      ev["reason"] = "dial-up/PPP link";
      flag("dial_up", ev);
    }
  }
  // A hotspot this PC offers (hosted network, Mobile Hotspot) shares its connection with other
  // devices: a private exit for them, whatever the adapter it runs on.
  for (const auto& h : facts.hotspots) {
    if (!h.active || policy.allow_wireless) continue;
    flag("hotspot", {{"reason", "this PC offers a Wi-Fi hotspot"},
                     {"source", h.source},
                     {"state", h.state},
                     {"peers", h.peers}});
  }
  int v4_defaults = 0;
  std::vector<std::string> route_ifaces;
  for (const auto& r : facts.default_routes) {
    if (r.family != "inet") continue;
    ++v4_defaults;
    route_ifaces.push_back(r.interface + (r.gateway.empty() ? "" : " via " + r.gateway));
  }
  if (v4_defaults > policy.max_default_routes)
    flag("default_routes", {{"reason", "more default routes than allowed"},
                            {"count", v4_defaults},
                            {"default_routes", route_ifaces},
                            {"allowed", policy.max_default_routes}});
  if (found.empty())
    return make_finding("net.unauthorized_interface", Status::pass, Severity::info, "none",
                        {{"interfaces", facts.interfaces.size()},
                         {"default_routes", v4_defaults},
                         {"allowed", policy.max_default_routes}});
  return make_finding("net.unauthorized_interface", Status::fail, Severity::high, first,
                      {{"found", found},
                       {"more", found.size() - 1},
                       {"expected", "wired intranet interfaces only"}});
}

Finding evaluate_egress(const std::optional<std::vector<EgressAttempt>>& attempts,
                        const NetworkPolicy& policy) {
  if (!policy.intranet_only)
    return make_finding("net.internet_egress", Status::not_applicable, Severity::info,
                        "not_required");
  if (policy.egress_targets.empty() || !attempts)
    return make_finding("net.internet_egress", Status::error, Severity::medium, "no_targets");
  nlohmann::json tried = nlohmann::json::array();
  std::string reached;
  for (const auto& a : *attempts) {
    tried.push_back({{"target", a.target}, {"reachable", a.reachable}, {"detail", a.detail}});
    if (a.reachable && reached.empty()) reached = a.target;
  }
  if (!reached.empty())
    return make_finding(
        "net.internet_egress", Status::fail, Severity::critical, "reached",
        {{"attempts", tried}, {"reached", reached}, {"expected", "no target reachable"}});
  return make_finding("net.internet_egress", Status::pass, Severity::info, "unreachable",
                      {{"attempts", tried}, {"targets", attempts->size()}});
}

}  // namespace warden::agent
