// Turns local results into wire messages.
#pragma once

#include "agent/check_module.hpp"
#include "common/finding.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::agent {

v1::AgentMessage build_report(const SweepResult& result, uint64_t sweep_id,
                              uint64_t policy_version);
v1::AgentMessage build_event(const AgentEvent& event);
// `warden-agent check --json`: {"host":{...},"facts":{...},"findings":[...]}.
nlohmann::json check_output(const SweepResult& result);

}  // namespace warden::agent
