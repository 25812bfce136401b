// NetworkFacts on Windows, from GetAdaptersAddresses (IP Helper): adapters with their friendly
// names, MACs, kinds (agent/network/windows_adapter_kind.hpp), addresses, gateways and DNS servers.
#pragma once

#include "agent/network/network_probe.hpp"

namespace warden::agent {

class WindowsNetworkProbe : public NetworkProbe {
 public:
  NetworkFacts collect() override;
};

}  // namespace warden::agent
