#include "agent/network/network_facts.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <sstream>

namespace warden::agent {

NetworkFacts clean_network_facts(NetworkFacts f) {
  auto bound = [](auto& list, size_t n) {
    if (list.size() > n) list.resize(n);
  };
  auto name = [](std::string& v) { v = text::printable(v, 64); };
  bound(f.interfaces, 1024);
  for (auto& i : f.interfaces) {
    for (auto* v : {&i.name, &i.mac, &i.kind, &i.driver, &i.devtype}) name(*v);
    bound(i.addresses, 256);
    for (auto& a : i.addresses) {
      name(a.family);
      name(a.address);
    }
  }
  bound(f.default_routes, 256);
  for (auto& r : f.default_routes)
    for (auto* v : {&r.interface, &r.gateway, &r.family}) name(*v);
  f.hostname = text::printable(f.hostname, 256);
  bound(f.dns_servers, 16);
  for (auto& d : f.dns_servers) name(d);
  bound(f.wlan, 64);
  for (auto& w : f.wlan) {
    for (auto* v : {&w.interface, &w.state, &w.ssid, &w.bssid, &w.bss_type, &w.auth}) name(*v);
    w.signal_quality = std::clamp(w.signal_quality, 0, 100);
  }
  bound(f.hotspots, 8);
  for (auto& h : f.hotspots) {
    name(h.source);
    name(h.state);
    h.peers = std::clamp(h.peers, 0, 100000);
  }
  bound(f.wireless_errors, 8);
  for (auto& e : f.wireless_errors) e = text::printable(e, 512);
  return f;
}

nlohmann::json to_json(const NetworkFacts& f) {
  nlohmann::json interfaces = nlohmann::json::array();
  for (const auto& i : f.interfaces) {
    nlohmann::json addrs = nlohmann::json::array();
    for (const auto& a : i.addresses)
      addrs.push_back({{"family", a.family}, {"address", a.address}, {"prefix", a.prefix}});
    interfaces.push_back({{"name", i.name},
                          {"ifindex", i.ifindex},
                          {"mac", i.mac},
                          {"kind", i.kind},
                          {"driver", i.driver},
                          {"devtype", i.devtype},
                          {"up", i.up},
                          {"addresses", addrs}});
  }
  nlohmann::json routes = nlohmann::json::array();
  for (const auto& r : f.default_routes)
    routes.push_back({{"interface", r.interface},
                      {"gateway", r.gateway},
                      {"family", r.family},
                      {"metric", r.metric}});
  nlohmann::json out = {{"interfaces", interfaces},
                        {"default_routes", routes},
                        {"hostname", f.hostname},
                        {"dns_servers", f.dns_servers}};
  if (f.wireless_probed) {
    nlohmann::json wlan = nlohmann::json::array(), hotspots = nlohmann::json::array();
    for (const auto& w : f.wlan)
      wlan.push_back({{"interface", w.interface},
                      {"state", w.state},
                      {"ssid", w.ssid},
                      {"bssid", w.bssid},
                      {"bss_type", w.bss_type},
                      {"auth", w.auth},
                      {"signal_quality", w.signal_quality}});
    for (const auto& h : f.hotspots)
      hotspots.push_back(
          {{"source", h.source}, {"state", h.state}, {"active", h.active}, {"peers", h.peers}});
    out["wlan"] = wlan;
    out["hotspots"] = hotspots;
    out["wireless_errors"] = f.wireless_errors;
  }
  return out;
}

std::vector<std::string> parse_resolv_conf(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line) && out.size() < 16) {
    std::istringstream words(line);
    std::string key, value;
    if (!(words >> key >> value) || key != "nameserver") continue;
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return out;
}

}  // namespace warden::agent
