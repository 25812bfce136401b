#include "agent/hygiene/hygiene_module.hpp"

#include "agent/hygiene/account_facts.hpp"
#include "agent/hygiene/firewall_facts.hpp"
#include "agent/hygiene/hygiene_checks.hpp"
#include "agent/hygiene/screen_lock_facts.hpp"
#include "agent/hygiene/share_facts.hpp"

namespace warden::agent {

ModuleResult HygieneModule::run(const AgentPolicy& policy) {
  auto fw = read_firewall_facts(ctx_.root);
  auto lock = read_screen_lock_facts(ctx_.root);
  auto shares = read_share_facts(ctx_.root);
  auto accounts = read_account_facts(ctx_.root);
  ModuleResult r;
  r.facts = {{"firewall", to_json(fw)},
             {"screen_lock", to_json(lock)},
             {"shares", to_json(shares)},
             {"accounts", to_json(accounts)}};
  r.findings = {evaluate_firewall(fw, policy.host), evaluate_screen_lock(lock, policy.host),
                evaluate_shares(shares, policy.host), evaluate_password_age(accounts, policy.host),
                evaluate_empty_passwords(accounts)};
  return r;
}

}  // namespace warden::agent
