// What kind of link a Windows network adapter is, from what GetAdaptersAddresses reports: its
// IANA ifType and the driver's description. Pure (unit-tested on Linux); the Windows probe
// (agent/network/windows/) calls it.
#pragma once

#include <string>

namespace warden::agent {

// IANA ifType values (ipifcons.h) the classification uses.
inline constexpr unsigned kIfTypeEthernet = 6;   // IF_TYPE_ETHERNET_CSMACD
inline constexpr unsigned kIfTypePpp = 23;       // IF_TYPE_PPP
inline constexpr unsigned kIfTypeLoopback = 24;  // IF_TYPE_SOFTWARE_LOOPBACK
inline constexpr unsigned kIfTypeWireless = 71;  // IF_TYPE_IEEE80211
inline constexpr unsigned kIfTypeTunnel = 131;   // IF_TYPE_TUNNEL
inline constexpr unsigned kIfTypeWwanPp = 243;   // IF_TYPE_WWANPP (mobile broadband, GSM)
inline constexpr unsigned kIfTypeWwanPp2 = 244;  // IF_TYPE_WWANPP2 (mobile broadband, CDMA)

// ethernet | wireless | usb_network | ppp | virtual | loopback | other, the same kinds the Linux
// probe reports. Ethernet adapters whose driver is Remote NDIS (phones shared over USB, 4G
// dongles) are usb_network, as are mobile broadband (WWAN) adapters.
std::string classify_windows_adapter(unsigned if_type, const std::string& description);

}  // namespace warden::agent
