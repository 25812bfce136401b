// Pure evaluation: host.firewall, host.screen_lock, host.shared_folders, auth.password_max_age,
// auth.empty_password. A fact group with an `error` makes its checks `error` (probe_failed).
#pragma once

#include "agent/hygiene/hygiene_facts.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

Finding evaluate_firewall(const FirewallFacts& f, const HostPolicy& p);
Finding evaluate_screen_lock(const ScreenLockFacts& f, const HostPolicy& p);
Finding evaluate_shares(const ShareFacts& f, const HostPolicy& p);
Finding evaluate_password_age(const AccountFacts& f, const HostPolicy& p);
Finding evaluate_empty_passwords(const AccountFacts& f);
// All five, in catalogue order.
std::vector<Finding> evaluate_hygiene(const HygieneFacts& f, const HostPolicy& p);

}  // namespace warden::agent
