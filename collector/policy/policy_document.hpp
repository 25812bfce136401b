// Department policy documents. An admin sets, per department, a JSON object that overrides only
// the keys it names; a host's effective policy is the built-in default, then the root document,
// then each department on the path down to the host's own (JSON merge patch, RFC 7386: objects
// merge, everything else - arrays included - replaces). Agent keys are those of AgentPolicy
// (common/agent_policy.hpp); the collector's own keys are `sweep` and `remediation_deadline_days`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/agent_policy.hpp"

namespace warden::collector {

// The built-in schedule: a sweep every working day (Monday to Friday) from 09:00, each agent
// starting at a random moment within the following hour so a fleet does not start at once.
inline constexpr const char* kDefaultSweepSchedule = "0 9 * * 1-5";
inline constexpr int kDefaultSweepSpreadSeconds = 3600;

struct SweepSchedule {
  std::string cron;  // 5-field cron expression in the collector's local time; "" = none
  int spread_seconds = kDefaultSweepSpreadSeconds;  // agents start at a random moment within it
};

struct EffectivePolicy {
  nlohmann::json document;  // the merged document (agent + collector keys)
  AgentPolicy agent;
  SweepSchedule sweep;
  int remediation_deadline_days = 7;
};

// Throws std::invalid_argument naming the key for anything not acceptable (unknown keys, wrong
// types, out-of-range values, a bad cron expression).
void validate_policy_document(const nlohmann::json& doc);

// The departments from the root down to `department`: "A/B/C" -> {"", "A", "A/B", "A/B/C"}.
std::vector<std::string> department_chain(const std::string& department);

// Merges the documents (root first) over the defaults and parses the result.
EffectivePolicy effective_policy(const std::vector<nlohmann::json>& documents_root_first);

// Turns `key.path=value` into a merge patch; the value is JSON if it parses, else a string.
nlohmann::json patch_from_assignment(const std::string& assignment);

}  // namespace warden::collector
