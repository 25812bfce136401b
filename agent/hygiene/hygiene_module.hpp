// Host hygiene: firewall, screen lock, shared folders, password aging, empty passwords.
#pragma once

#include "agent/check_module.hpp"

namespace warden::agent {

class HygieneModule : public CheckModule {
 public:
  explicit HygieneModule(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  std::string name() const override { return "hygiene"; }
  std::vector<std::string> check_ids() const override {
    return {"host.firewall", "host.screen_lock", "host.shared_folders", "auth.password_max_age",
            "auth.empty_password"};
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
};

}  // namespace warden::agent
