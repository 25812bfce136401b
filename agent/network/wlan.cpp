#include "agent/network/wlan.hpp"

#include <algorithm>
#include <cstdio>

#include "common/text.hpp"

namespace warden::agent {

namespace {
std::string numbered(const char* what, uint32_t v) {
  return std::string(what) + "(" + std::to_string(v) + ")";
}
}  // namespace

std::string wlan_interface_state_name(uint32_t state) {
  static const char* const names[] = {"not_ready",     "connected",     "ad_hoc_network_formed",
                                      "disconnecting", "disconnected",  "associating",
                                      "discovering",   "authenticating"};
  return state < std::size(names) ? names[state] : numbered("unknown", state);
}

std::string dot11_bss_type_name(uint32_t type) {
  switch (type) {
    case 1:
      return "infrastructure";
    case 2:
      return "independent";
    case 3:
      return "any";
  }
  return numbered("unknown", type);
}

std::string dot11_auth_name(uint32_t a) {
  static const char* const names[] = {nullptr,   "open",     "shared_key", "wpa",
                                      "wpa_psk", "wpa_none", "wpa2",       "wpa2_psk",
                                      "wpa3",    "wpa3_sae", "owe",        "wpa3_enterprise"};
  if (a >= 1 && a < std::size(names)) return names[a];
  if (a >= 0x80000000u) return numbered("ihv", a);  // DOT11_AUTH_ALGO_IHV_START..END
  return numbered("unknown", a);
}

std::string wlan_ssid_text(std::string_view raw, uint32_t declared) {
  size_t n = std::min<size_t>({declared, 32, raw.size()});
  return text::printable(raw.substr(0, n), 128);
}

std::string wlan_bssid_text(std::string_view raw) {
  if (raw.size() != 6) return "";
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x",
                static_cast<unsigned char>(raw[0]), static_cast<unsigned char>(raw[1]),
                static_cast<unsigned char>(raw[2]), static_cast<unsigned char>(raw[3]),
                static_cast<unsigned char>(raw[4]), static_cast<unsigned char>(raw[5]));
  return buf;
}

WlanConnectionFact wlan_connection_fact(const WlanInterfaceRaw& raw) {
  WlanConnectionFact f;
  f.interface = text::printable(raw.description, 256);
  f.state = wlan_interface_state_name(raw.state);
  if (raw.has_connection) {
    f.ssid = wlan_ssid_text(raw.ssid, raw.ssid_length);
    f.bssid = wlan_bssid_text(raw.bssid);
    f.bss_type = dot11_bss_type_name(raw.bss_type);
    f.auth = dot11_auth_name(raw.auth);
    f.signal_quality = static_cast<int>(std::min<uint32_t>(raw.signal_quality, 100));
  }
  return f;
}

HotspotFact hosted_network_fact(uint32_t state, uint32_t peers) {
  static const char* const names[] = {"unavailable", "idle", "active"};
  HotspotFact h;
  h.source = "hosted_network";
  h.state = state < std::size(names) ? names[state] : numbered("unknown", state);
  h.active = state == 2;
  h.peers = static_cast<int>(std::min<uint32_t>(peers, 100000));
  return h;
}

HotspotFact mobile_hotspot_fact(uint32_t service_state) {
  // SERVICE_STATUS.dwCurrentState: 1 stopped, 2 start pending, 3 stop pending, 4 running,
  // 5 continue pending, 6 pause pending, 7 paused.
  static const char* const names[] = {nullptr,         "stopped", "start_pending",
                                      "stop_pending",  "running", "continue_pending",
                                      "pause_pending", "paused"};
  HotspotFact h;
  h.source = "mobile_hotspot";
  h.state = service_state >= 1 && service_state < std::size(names)
                ? names[service_state]
                : numbered("unknown", service_state);
  h.active = service_state == 2 || service_state == 4;
  return h;
}

}  // namespace warden::agent
