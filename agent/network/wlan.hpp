#pragma once
// The platform-free interpretation of what Windows' WLAN API and service manager say about Wi-Fi
// and hotspots (issue 15): enum values to names, the SSID and BSSID bytes (from the air: an SSID
// is up to 32 arbitrary bytes, so it is bounded and made printable), the hosted network's status,
// and the Mobile Hotspot service's state. Unit-tested on Linux with fixtures; the Win32 side is
// agent/network/windows/wlan_probe.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/network/network_facts.hpp"

namespace warden::agent {

// WLAN_INTERFACE_STATE: connected, disconnected, associating, ...; unknown(N) otherwise.
std::string wlan_interface_state_name(uint32_t state);
// DOT11_BSS_TYPE: infrastructure, independent, any.
std::string dot11_bss_type_name(uint32_t type);
// DOT11_AUTH_ALGORITHM: open, shared_key, wpa, wpa_psk, wpa_none, wpa2, wpa2_psk, wpa3, wpa3_sae,
// owe, wpa3_enterprise; ihv(N) in the IHV range, unknown(N) otherwise.
std::string dot11_auth_name(uint32_t algorithm);
// DOT11_SSID: `declared` bytes of `raw` (at most 32 and at most raw.size()), printable UTF-8.
std::string wlan_ssid_text(std::string_view raw, uint32_t declared);
// Six bytes as aa:bb:cc:dd:ee:ff ("" when not six).
std::string wlan_bssid_text(std::string_view raw);

// One adapter from WlanEnumInterfaces (+ WlanQueryInterface's current connection when connected).
struct WlanInterfaceRaw {
  std::string description;  // UTF-8 already
  uint32_t state = 0;
  bool has_connection = false;
  std::string ssid;  // DOT11_SSID.ucSSID (32 bytes)
  uint32_t ssid_length = 0;
  std::string bssid;  // 6 bytes
  uint32_t bss_type = 0;
  uint32_t auth = 0;
  uint32_t signal_quality = 0;
};
WlanConnectionFact wlan_connection_fact(const WlanInterfaceRaw& raw);

// WlanHostedNetworkQueryStatus: WLAN_HOSTED_NETWORK_STATE (unavailable, idle, active), peers.
HotspotFact hosted_network_fact(uint32_t state, uint32_t peers);
// The Mobile Hotspot service (icssvc): its SERVICE_STATUS.dwCurrentState; Windows starts it when
// someone turns Mobile Hotspot on and stops it when it is off, so running means sharing.
HotspotFact mobile_hotspot_fact(uint32_t service_state);

}  // namespace warden::agent
