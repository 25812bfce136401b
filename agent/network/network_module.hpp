// The network domain: facts under "network", checks net.unauthorized_interface and
// net.internet_egress. The IP/MAC binding itself is judged by the collector.
#pragma once

#include <memory>

#include "agent/check_module.hpp"
#include "agent/network/network_probe.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class NetworkModule : public CheckModule {
 public:
  explicit NetworkModule(std::unique_ptr<NetworkProbe> probe) : probe_(std::move(probe)) {}
  std::string name() const override { return "network"; }
  std::vector<std::string> check_ids() const override {
    return catalog::check_ids("network", "agent");
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  std::unique_ptr<NetworkProbe> probe_;
};

}  // namespace warden::agent
