// Plain facts about this PC's network: interfaces, addresses, default routes, DNS.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace warden::agent {

struct AddressFact {
  std::string family;  // "inet" | "inet6"
  std::string address;
  int prefix = 0;
};

struct InterfaceFact {
  std::string name;
  int ifindex = 0;
  std::string mac;      // aa:bb:cc:dd:ee:ff, "" when the link has none
  std::string kind;     // ethernet | wireless | usb_network | ppp | virtual | loopback | other
  std::string driver;   // kernel driver, from sysfs
  std::string devtype;  // DEVTYPE from the uevent file (wlan, wwan, ...)
  bool up = false;
  std::vector<AddressFact> addresses;
};

struct RouteFact {
  std::string interface;
  std::string gateway;
  std::string family;
  int metric = 0;
};

struct NetworkFacts {
  std::vector<InterfaceFact> interfaces;
  std::vector<RouteFact> default_routes;
  std::string hostname;
  std::vector<std::string> dns_servers;
};

nlohmann::json to_json(const NetworkFacts& f);

// What the probe read (interface names, drivers, DEVTYPE, host name, resolv.conf) is bytes from
// the kernel, sysfs and files: cleaned here before it becomes a fact. Total and pure: afterwards
// every string is valid UTF-8 within its bound, names carry no control characters, and the lists
// are bounded (1,024 interfaces, 256 addresses each, 256 routes, 16 DNS servers).
NetworkFacts clean_network_facts(NetworkFacts raw);

// nameserver lines of resolv.conf(5), in order, without duplicates (bounded to 16).
std::vector<std::string> parse_resolv_conf(const std::string& text);

}  // namespace warden::agent
