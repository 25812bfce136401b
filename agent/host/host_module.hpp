// Facts-only module: who this host is. Emits no findings.
#pragma once

#include "agent/check_module.hpp"

namespace warden::agent {

class HostModule : public CheckModule {
 public:
  explicit HostModule(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  std::string name() const override { return "host"; }
  std::vector<std::string> check_ids() const override { return {}; }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
};

}  // namespace warden::agent
