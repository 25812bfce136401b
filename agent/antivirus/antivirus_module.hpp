// The antivirus domain: facts under "antivirus" (one entry per catalog product).
#pragma once

#include <memory>

#include "agent/antivirus/antivirus_probe.hpp"
#include "agent/check_module.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class AntivirusModule : public CheckModule {
 public:
  AntivirusModule(ProbeContext ctx, std::unique_ptr<AntivirusProbe> probe)
      : ctx_(std::move(ctx)), probe_(std::move(probe)) {}
  std::string name() const override { return "antivirus"; }
  std::vector<std::string> check_ids() const override {
    return catalog::check_ids("antivirus", "agent");
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
  std::unique_ptr<AntivirusProbe> probe_;
};

}  // namespace warden::agent
