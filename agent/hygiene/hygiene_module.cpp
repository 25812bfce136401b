#include "agent/hygiene/hygiene_module.hpp"

#include "agent/hygiene/hygiene_checks.hpp"

namespace warden::agent {

ModuleResult HygieneModule::run(const AgentPolicy& policy) {
  auto f = probe_->collect();
  ModuleResult r;
  r.facts = to_json(f);
  r.findings = evaluate_hygiene(f, policy.host);
  return r;
}

}  // namespace warden::agent
