// Wi-Fi and hotspots on Windows (issue 15): the WLAN API's enums and bytes (SSIDs are up to 32
// arbitrary bytes from the air), the hosted network's status and the Mobile Hotspot service's
// state turned into the network facts, and what net.unauthorized_interface makes of them. Tested
// on Linux with fixtures; the Win32 side runs under wine in tests/windows/agent_exe_test.sh.
#include <catch2/catch.hpp>

#include <string>

#include "agent/network/network_checks.hpp"
#include "agent/network/wlan.hpp"

using namespace warden;
using namespace warden::agent;

TEST_CASE("WLAN enums: states, BSS types and authentication algorithms by name",
          "[windows][wlan]") {
  CHECK(wlan_interface_state_name(1) == "connected");
  CHECK(wlan_interface_state_name(4) == "disconnected");
  CHECK(wlan_interface_state_name(7) == "authenticating");
  CHECK(wlan_interface_state_name(8) == "unknown(8)");
  CHECK(wlan_interface_state_name(0xffffffffu) == "unknown(4294967295)");
  CHECK(dot11_bss_type_name(1) == "infrastructure");
  CHECK(dot11_bss_type_name(2) == "independent");
  CHECK(dot11_bss_type_name(0) == "unknown(0)");
  CHECK(dot11_auth_name(1) == "open");
  CHECK(dot11_auth_name(7) == "wpa2_psk");
  CHECK(dot11_auth_name(9) == "wpa3_sae");
  CHECK(dot11_auth_name(0) == "unknown(0)");
  CHECK(dot11_auth_name(12) == "unknown(12)");
  CHECK(dot11_auth_name(0x80000001u) == "ihv(2147483649)");
}

TEST_CASE("WLAN SSIDs and BSSIDs: bounded, printable, never past the buffer", "[windows][wlan]") {
  std::string buf(32, '\0');
  buf.replace(0, 6, "Office");
  CHECK(wlan_ssid_text(buf, 6) == "Office");
  // A declared length past 32 or past the buffer is cut to what is there.
  CHECK(wlan_ssid_text(std::string(40, 'A'), 200).size() == 32);
  CHECK(wlan_ssid_text("abc", 32) == "abc");
  CHECK(wlan_ssid_text(buf, 0).empty());
  // UTF-8 (a Chinese SSID) stays, control bytes and invalid UTF-8 do not pass through raw.
  CHECK(wlan_ssid_text("办公室", 9) == "办公室");
  auto hostile = wlan_ssid_text(std::string("a\x1b[2J\nb\xff\xfe", 8), 8);
  CHECK(hostile.find('\x1b') == std::string::npos);
  CHECK(hostile.find('\n') == std::string::npos);
  CHECK(hostile.find('\xff') == std::string::npos);
  CHECK(wlan_bssid_text(std::string("\x00\x1a\x2b\x3c\x4d\xff", 6)) == "00:1a:2b:3c:4d:ff");
  CHECK(wlan_bssid_text("12345").empty());
  CHECK(wlan_bssid_text("1234567").empty());
}

TEST_CASE("WLAN interfaces become connection facts, hotspots become hotspot facts",
          "[windows][wlan]") {
  WlanInterfaceRaw raw;
  raw.description = "Intel(R) Wi-Fi 6 AX201 160MHz";
  raw.state = 1;
  raw.has_connection = true;
  raw.ssid = std::string("CMCC-5G\0\0\0", 10);
  raw.ssid_length = 7;
  raw.bssid = std::string("\xa0\xb1\xc2\xd3\xe4\xf5", 6);
  raw.bss_type = 1;
  raw.auth = 7;
  raw.signal_quality = 250;  // out of range: capped
  auto f = wlan_connection_fact(raw);
  CHECK(f.interface == "Intel(R) Wi-Fi 6 AX201 160MHz");
  CHECK(f.state == "connected");
  CHECK(f.ssid == "CMCC-5G");
  CHECK(f.bssid == "a0:b1:c2:d3:e4:f5");
  CHECK(f.bss_type == "infrastructure");
  CHECK(f.auth == "wpa2_psk");
  CHECK(f.signal_quality == 100);
  raw.state = 4;
  raw.has_connection = false;
  f = wlan_connection_fact(raw);
  CHECK(f.state == "disconnected");
  CHECK(f.ssid.empty());

  auto h = hosted_network_fact(2, 3);
  CHECK(h.source == "hosted_network");
  CHECK(h.state == "active");
  CHECK(h.active);
  CHECK(h.peers == 3);
  CHECK_FALSE(hosted_network_fact(1, 0).active);
  CHECK(hosted_network_fact(0, 0).state == "unavailable");
  CHECK(hosted_network_fact(9, 0xffffffffu).state == "unknown(9)");
  CHECK(hosted_network_fact(9, 0xffffffffu).peers == 100000);
  CHECK(mobile_hotspot_fact(4).active);
  CHECK(mobile_hotspot_fact(4).state == "running");
  CHECK(mobile_hotspot_fact(2).active);  // starting: someone just turned it on
  CHECK_FALSE(mobile_hotspot_fact(1).active);
  CHECK(mobile_hotspot_fact(1).state == "stopped");
  CHECK(mobile_hotspot_fact(0).state == "unknown(0)");
}

TEST_CASE("net.unauthorized_interface: an active hotspot fails, a Wi-Fi exit names its SSID",
          "[windows][wlan]") {
  NetworkFacts facts;
  InterfaceFact eth;
  eth.name = "Ethernet";
  eth.kind = "ethernet";
  eth.driver = "Intel(R) Ethernet Connection I219-LM";
  eth.up = true;
  facts.interfaces = {eth};
  facts.default_routes = {{"Ethernet", "10.0.0.1", "inet", 25}};
  facts.wireless_probed = true;
  facts.hotspots.push_back(mobile_hotspot_fact(1));     // stopped
  facts.hotspots.push_back(hosted_network_fact(1, 0));  // idle
  NetworkPolicy policy;
  CHECK(evaluate_unauthorized_interfaces(facts, policy).status == Status::pass);

  facts.hotspots.push_back(mobile_hotspot_fact(4));
  auto f = evaluate_unauthorized_interfaces(facts, policy);
  CHECK(f.status == Status::fail);
  CHECK(f.summary_key == "hotspot");
  CHECK(f.evidence["found"][0]["source"] == "mobile_hotspot");
  CHECK(f.summary.find("hotspot (mobile_hotspot)") != std::string::npos);
  // Wireless allowed by policy: a hotspot is the same permission.
  policy.allow_wireless = true;
  CHECK(evaluate_unauthorized_interfaces(facts, policy).status == Status::pass);
  policy.allow_wireless = false;

  facts.hotspots.clear();
  InterfaceFact wifi;
  wifi.name = "Wi-Fi";
  wifi.kind = "wireless";
  wifi.driver = "Intel(R) Wi-Fi 6 AX201 160MHz";
  wifi.up = true;
  facts.interfaces.push_back(wifi);
  WlanConnectionFact conn{wifi.driver,      "connected", "CMCC-5G", "a0:b1:c2:d3:e4:f5",
                          "infrastructure", "wpa2_psk",  80};
  facts.wlan.push_back(conn);
  f = evaluate_unauthorized_interfaces(facts, policy);
  CHECK(f.summary_key == "wireless");
  CHECK(f.evidence["found"][0]["ssid"] == "CMCC-5G");
  CHECK(f.evidence["found"][0]["bssid"] == "a0:b1:c2:d3:e4:f5");

  // The facts carry the wireless part only where it was probed (Linux output unchanged).
  auto j = to_json(facts);
  CHECK(j["wlan"][0]["ssid"] == "CMCC-5G");
  CHECK(j["hotspots"].is_array());
  facts.wireless_probed = false;
  CHECK_FALSE(to_json(facts).contains("wlan"));
  CHECK_FALSE(to_json(facts).contains("hotspots"));
}

TEST_CASE("Wireless facts are bounded by clean_network_facts", "[windows][wlan]") {
  NetworkFacts raw;
  raw.wireless_probed = true;
  for (int i = 0; i < 100; ++i)
    raw.wlan.push_back({std::string(1000, 'x'), "connected", "s", "", "", "", -5});
  for (int i = 0; i < 20; ++i) raw.hotspots.push_back({"hosted_network", "active", true, -1});
  for (int i = 0; i < 20; ++i) raw.wireless_errors.push_back(std::string(5000, 'e'));
  auto f = clean_network_facts(raw);
  CHECK(f.wlan.size() == 64);
  CHECK(f.wlan[0].interface.size() <= 64);
  CHECK(f.wlan[0].signal_quality == 0);
  CHECK(f.hotspots.size() == 8);
  CHECK(f.hotspots[0].peers == 0);
  CHECK(f.wireless_errors.size() == 8);
  CHECK(f.wireless_errors[0].size() <= 512);
}
