// The patches domain: facts under "patches".
#pragma once

#include <memory>

#include "agent/check_module.hpp"
#include "agent/patches/patch_probe.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class PatchModule : public CheckModule {
 public:
  PatchModule(ProbeContext ctx, std::unique_ptr<PatchProbe> probe)
      : ctx_(std::move(ctx)), probe_(std::move(probe)) {}
  std::string name() const override { return "patches"; }
  std::vector<std::string> check_ids() const override {
    return catalog::check_ids("patches", "agent");
  }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
  std::unique_ptr<PatchProbe> probe_;
};

}  // namespace warden::agent
