// Windows adapter kinds from GetAdaptersAddresses' ifType and description (the probe itself runs
// under Wine: tests/windows/agent_exe_test.sh).
#include <catch2/catch.hpp>

#include "agent/network/windows_adapter_kind.hpp"

using namespace warden::agent;

TEST_CASE("Windows adapters map to the same kinds as Linux interfaces") {
  CHECK(classify_windows_adapter(kIfTypeEthernet, "Intel(R) Ethernet Connection I219-V") ==
        "ethernet");
  CHECK(classify_windows_adapter(kIfTypeWireless, "Intel(R) Wi-Fi 6 AX201 160MHz") == "wireless");
  CHECK(classify_windows_adapter(kIfTypeLoopback, "Software Loopback Interface 1") == "loopback");
  CHECK(classify_windows_adapter(kIfTypePpp, "WAN Miniport (PPPOE)") == "ppp");
  CHECK(classify_windows_adapter(kIfTypeTunnel, "Microsoft Teredo Tunneling Adapter") == "virtual");
  CHECK(classify_windows_adapter(1, "Some other adapter") == "other");
}

TEST_CASE("phones and dongles shared over USB are usb_network, by driver not by name") {
  CHECK(classify_windows_adapter(kIfTypeEthernet, "Remote NDIS based Internet Sharing Device") ==
        "usb_network");
  CHECK(classify_windows_adapter(kIfTypeEthernet, "Remote NDIS Compatible Device #2") ==
        "usb_network");
  CHECK(classify_windows_adapter(kIfTypeWwanPp, "Qualcomm Snapdragon X55 5G") == "usb_network");
  CHECK(classify_windows_adapter(kIfTypeWwanPp2, "Generic Mobile Broadband Adapter") ==
        "usb_network");
}

TEST_CASE("hypervisor and VPN adapters that look like Ethernet are virtual") {
  CHECK(classify_windows_adapter(kIfTypeEthernet, "Hyper-V Virtual Ethernet Adapter") == "virtual");
  CHECK(classify_windows_adapter(kIfTypeEthernet, "VirtualBox Host-Only Ethernet Adapter") ==
        "virtual");
  CHECK(classify_windows_adapter(kIfTypeEthernet, "TAP-Windows Adapter V9") == "virtual");
}
