// Host hygiene: firewall, screen lock, shared folders, password aging, empty passwords.
#pragma once

#include <memory>

#include "agent/check_module.hpp"
#include "agent/hygiene/hygiene_probe.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class HygieneModule : public CheckModule {
 public:
  explicit HygieneModule(std::unique_ptr<HygieneProbe> probe) : probe_(std::move(probe)) {}
  std::string name() const override { return "hygiene"; }
  std::vector<std::string> check_ids() const override {
    return catalog::check_ids("hygiene", "agent");
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  std::unique_ptr<HygieneProbe> probe_;
};

}  // namespace warden::agent
