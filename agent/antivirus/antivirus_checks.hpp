// Pure evaluation: av.installed, av.running, av.signatures_fresh.
#pragma once

#include <vector>

#include "agent/antivirus/antivirus_probe.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

std::vector<Finding> evaluate_antivirus(const std::vector<AntivirusFacts>& facts,
                                        const AntivirusPolicy& policy, int64_t now_s);

}  // namespace warden::agent
