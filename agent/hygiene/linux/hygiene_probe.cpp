#include "agent/hygiene/hygiene_probe.hpp"
#include "agent/hygiene/account_facts.hpp"
#include "agent/hygiene/firewall_facts.hpp"
#include "agent/hygiene/screen_lock_facts.hpp"
#include "agent/hygiene/share_facts.hpp"

namespace warden::agent {

HygieneFacts LinuxHygieneProbe::collect() {
  HygieneFacts f;
  f.firewall = read_firewall_facts(ctx_.root);
  f.screen_lock = read_screen_lock_facts(ctx_.root);
  f.shares = read_share_facts(ctx_.root);
  f.accounts = read_account_facts(ctx_.root);
  return f;
}

}  // namespace warden::agent
