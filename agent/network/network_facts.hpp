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

// A Wi-Fi adapter's state and current connection (Windows: the WLAN API, agent/network/wlan.hpp).
struct WlanConnectionFact {
  std::string interface;  // the adapter's description: the `driver` of its InterfaceFact
  std::string state;     // connected | disconnected | associating | ... (wlan_interface_state_name)
  std::string ssid;      // connected only (printable; up to 32 bytes from the air)
  std::string bssid;     // aa:bb:cc:dd:ee:ff
  std::string bss_type;  // infrastructure | independent (ad hoc)
  std::string auth;      // open | wpa2_psk | wpa3_sae | ...
  int signal_quality = 0;  // 0..100
};

// A hotspot this PC offers to others (Windows: the hosted network, or Mobile Hotspot's service).
struct HotspotFact {
  std::string source;  // hosted_network | mobile_hotspot
  std::string state;   // hosted network: unavailable | idle | active; mobile hotspot: the service's
  bool active = false;
  int peers = 0;  // hosted network: connected clients
};

struct NetworkFacts {
  std::vector<InterfaceFact> interfaces;
  std::vector<RouteFact> default_routes;
  std::string hostname;
  std::vector<std::string> dns_servers;
  // Only where the platform has a wireless API (Windows): then "wlan", "hotspots" and
  // "wireless_errors" are in the JSON; the Linux facts are unchanged.
  bool wireless_probed = false;
  std::vector<WlanConnectionFact> wlan;
  std::vector<HotspotFact> hotspots;
  std::vector<std::string> wireless_errors;  // a failing WLAN/service call, with the system's text
};

nlohmann::json to_json(const NetworkFacts& f);

// What the probe read (interface names, drivers, DEVTYPE, host name, resolv.conf) is bytes from
// the kernel, sysfs and files: cleaned here before it becomes a fact. Total and pure: afterwards
// every string is valid UTF-8 within its bound, names carry no control characters, and the lists
// are bounded (1,024 interfaces, 256 addresses each, 256 routes, 16 DNS servers, 64 Wi-Fi
// adapters, 8 hotspots, 8 wireless errors).
NetworkFacts clean_network_facts(NetworkFacts raw);

// nameserver lines of resolv.conf(5), in order, without duplicates (bounded to 16).
std::vector<std::string> parse_resolv_conf(const std::string& text);

}  // namespace warden::agent
