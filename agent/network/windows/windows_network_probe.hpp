// NetworkFacts on Windows, from GetAdaptersAddresses (IP Helper): adapters with their friendly
// names, MACs, kinds (agent/network/windows_adapter_kind.hpp), addresses, gateways and DNS servers;
// Wi-Fi connections and hotspots from the WLAN API and the Mobile Hotspot service.
#pragma once

#include "agent/network/network_probe.hpp"

namespace warden::agent {

class WindowsNetworkProbe : public NetworkProbe {
 public:
  NetworkFacts collect() override;
};

// Wi-Fi connections and hotspots into `facts` (windows/wlan_probe.cpp): sets wireless_probed,
// records every failing call in wireless_errors; never throws.
void probe_wireless(NetworkFacts& facts);

}  // namespace warden::agent
