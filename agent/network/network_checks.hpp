// Pure evaluation of network facts against policy.
#pragma once

#include <optional>
#include <vector>

#include "agent/network/egress_probe.hpp"
#include "agent/network/network_facts.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

// net.unauthorized_interface: wireless NICs, USB network adapters (tethering, 4G), PPP links,
// more default routes than allowed.
Finding evaluate_unauthorized_interfaces(const NetworkFacts& facts, const NetworkPolicy& policy);
// net.internet_egress: not_applicable unless policy.intranet_only; fail if any target answered.
Finding evaluate_egress(const std::optional<std::vector<EgressAttempt>>& attempts,
                        const NetworkPolicy& policy);

}  // namespace warden::agent
