#include "agent/network/network_module.hpp"

#include "agent/network/network_checks.hpp"

namespace warden::agent {

ModuleResult NetworkModule::run(const AgentPolicy& policy) {
  auto facts = probe_->collect();
  ModuleResult r;
  r.facts = to_json(facts);
  r.findings.push_back(evaluate_unauthorized_interfaces(facts, policy.network));
  std::optional<std::vector<EgressAttempt>> attempts;
  if (policy.network.intranet_only && !policy.network.egress_targets.empty())
    attempts = probe_egress(policy.network.egress_targets, policy.network.egress_timeout_ms);
  r.findings.push_back(evaluate_egress(attempts, policy.network));
  return r;
}

}  // namespace warden::agent
