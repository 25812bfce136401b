#include "agent/patches/patch_module.hpp"

#include <ctime>

#include "agent/patches/patch_checks.hpp"
#include "agent/patches/pending_since.hpp"

namespace warden::agent {

ModuleResult PatchModule::run(const AgentPolicy& policy) {
  auto facts = probe_->collect(policy.patches);
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  apply_first_seen(
      facts.upgrades,
      ctx_.state_dir.empty() ? std::filesystem::path() : ctx_.state_dir / "patches-pending.json",
      now);
  ModuleResult r;
  r.facts = to_json(facts);
  r.findings = evaluate_patches(facts, policy.patches, now);
  return r;
}

}  // namespace warden::agent
