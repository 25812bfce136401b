#include "agent/network/network_facts.hpp"

#include <algorithm>
#include <sstream>

namespace warden::agent {

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
  return {{"interfaces", interfaces},
          {"default_routes", routes},
          {"hostname", f.hostname},
          {"dns_servers", f.dns_servers}};
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
