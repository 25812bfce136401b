#include "agent/network/network_checks.hpp"

namespace warden::agent {

Finding evaluate_unauthorized_interfaces(const NetworkFacts& facts, const NetworkPolicy& policy) {
  nlohmann::json found = nlohmann::json::array();
  std::string first;
  auto flag = [&](const std::string& what, nlohmann::json ev) {
    if (first.empty()) first = what;
    found.push_back(std::move(ev));
  };
  for (const auto& i : facts.interfaces) {
    nlohmann::json ev = {
        {"interface", i.name}, {"kind", i.kind}, {"driver", i.driver}, {"up", i.up}};
    if (i.kind == "wireless" && !policy.allow_wireless) {
      ev["reason"] = "wireless network interface";
      flag("wireless interface " + i.name, ev);
    } else if (i.kind == "usb_network" && !policy.allow_usb_network) {
      ev["reason"] = "USB network adapter (tethered phone, 4G dongle or USB NIC)";
      flag("USB network adapter " + i.name + (i.driver.empty() ? "" : " (" + i.driver + ")"), ev);
    } else if (i.kind == "ppp") {
      ev["reason"] = "dial-up/PPP link";
      flag("dial-up link " + i.name, ev);
    }
  }
  int v4_defaults = 0;
  std::vector<std::string> route_ifaces;
  for (const auto& r : facts.default_routes) {
    if (r.family != "inet") continue;
    ++v4_defaults;
    route_ifaces.push_back(r.interface + (r.gateway.empty() ? "" : " via " + r.gateway));
  }
  if (v4_defaults > policy.max_default_routes)
    flag(std::to_string(v4_defaults) + " default routes (" +
             [&] {
               std::string s;
               for (const auto& r : route_ifaces) s += (s.empty() ? "" : ", ") + r;
               return s;
             }() +
             ")",
         {{"reason", "more default routes than allowed"},
          {"default_routes", route_ifaces},
          {"allowed", policy.max_default_routes}});
  if (found.empty())
    return make_finding("net.unauthorized_interface", Status::pass, Severity::info,
                        "no wireless, tethering or dial-up interface and at most " +
                            std::to_string(policy.max_default_routes) + " default route",
                        {{"interfaces", facts.interfaces.size()}, {"default_routes", v4_defaults}});
  return make_finding(
      "net.unauthorized_interface", Status::fail, Severity::high,
      "possible private internet exit: " + first +
          (found.size() > 1 ? " (and " + std::to_string(found.size() - 1) + " more)" : ""),
      {{"found", found}, {"expected", "wired intranet interfaces only"}});
}

Finding evaluate_egress(const std::optional<std::vector<EgressAttempt>>& attempts,
                        const NetworkPolicy& policy) {
  if (!policy.intranet_only)
    return make_finding("net.internet_egress", Status::not_applicable, Severity::info,
                        "this PC is not required to be intranet-only");
  if (policy.egress_targets.empty() || !attempts)
    return make_finding("net.internet_egress", Status::error, Severity::medium,
                        "intranet-only is required but the policy names no probe targets");
  nlohmann::json tried = nlohmann::json::array();
  std::string reached;
  for (const auto& a : *attempts) {
    tried.push_back({{"target", a.target}, {"reachable", a.reachable}, {"detail", a.detail}});
    if (a.reachable && reached.empty()) reached = a.target;
  }
  if (!reached.empty())
    return make_finding("net.internet_egress", Status::fail, Severity::critical,
                        "outside address " + reached + " is reachable from an intranet-only PC",
                        {{"attempts", tried}, {"expected", "no target reachable"}});
  return make_finding(
      "net.internet_egress", Status::pass, Severity::info,
      "none of " + std::to_string(attempts->size()) + " outside probe targets is reachable",
      {{"attempts", tried}});
}

}  // namespace warden::agent
