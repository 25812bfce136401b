// Collects NetworkFacts. The Linux implementation reads links, addresses and routes over
// rtnetlink (libnl-route-3) and interface kinds from sysfs; other platforms implement the same
// interface.
#pragma once

#include "agent/check_module.hpp"
#include "agent/network/network_facts.hpp"

namespace warden::agent {

class NetworkProbe {
 public:
  virtual ~NetworkProbe() = default;
  virtual NetworkFacts collect() = 0;
};

class LinuxNetworkProbe : public NetworkProbe {
 public:
  explicit LinuxNetworkProbe(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  NetworkFacts collect() override;

 private:
  ProbeContext ctx_;
};

}  // namespace warden::agent
