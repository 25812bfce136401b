// Runs every check module once and gathers facts and findings; never throws for a module's sake.
#pragma once

#include <memory>
#include <vector>

#include "agent/check_module.hpp"
#include "common/finding.hpp"

namespace warden::agent {

// Modules that throw yield `error` findings (one per check ID) naming the reason; findings for
// checks the policy disables are turned into `not_applicable` with the reason "disabled by
// policy". Facts are keyed by module name.
SweepResult run_sweep(const std::vector<std::unique_ptr<CheckModule>>& modules,
                      const AgentPolicy& policy);

}  // namespace warden::agent
