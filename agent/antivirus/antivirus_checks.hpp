// Pure evaluation: av.installed, av.running, av.signatures_fresh, av.policy_entries.
#pragma once

#include <vector>

#include "agent/antivirus/antivirus_probe.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

std::vector<Finding> evaluate_antivirus(const std::vector<AntivirusFacts>& facts,
                                        const AntivirusPolicy& policy, int64_t now_s);

// av.policy_entries: error naming every antivirus entry added by policy that the agent refused
// (malformed, or pointing where policy may not point: agent/antivirus/policy_paths.hpp), pass
// when all were used, not_applicable when policy adds none.
Finding evaluate_policy_entries(const AntivirusPolicy& policy,
                                const std::vector<std::string>& refused_entries,
                                const std::vector<AntivirusFacts>& facts);

}  // namespace warden::agent
