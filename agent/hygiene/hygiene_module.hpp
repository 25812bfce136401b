// Host hygiene: firewall, screen lock, shared folders, password aging, empty passwords.
#pragma once

#include "agent/check_module.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class HygieneModule : public CheckModule {
 public:
  explicit HygieneModule(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  std::string name() const override { return "hygiene"; }
  std::vector<std::string> check_ids() const override {
    return catalog::check_ids("hygiene", "agent");
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
};

}  // namespace warden::agent
