#include "agent/hygiene/hygiene_checks.hpp"

namespace warden::agent {

nlohmann::json to_json(const FirewallFacts& f) {
  nlohmann::json j = {{"ufw_enabled", f.ufw_enabled},
                      {"firewalld_enabled", f.firewalld_enabled},
                      {"nftables_service_enabled", f.nftables_service_enabled}};
  if (f.live_input_chains) j["live_input_chains"] = *f.live_input_chains;
  if (f.live_rules) j["live_rules"] = *f.live_rules;
  if (!f.live_error.empty()) j["live_error"] = f.live_error;
  return j;
}
nlohmann::json to_json(const ScreenLockFacts& f) {
  return {{"desktop", f.desktop},
          {"idle_delay_seconds",
           f.idle_delay_seconds ? nlohmann::json(*f.idle_delay_seconds) : nlohmann::json()},
          {"lock_enabled", f.lock_enabled ? nlohmann::json(*f.lock_enabled) : nlohmann::json()},
          {"idle_delay_locked", f.idle_delay_locked},
          {"lock_enabled_locked", f.lock_enabled_locked},
          {"sources", f.sources}};
}
nlohmann::json to_json(const ShareFacts& f) {
  return {{"samba_shares", f.samba_shares}, {"usershares", f.usershares}};
}
nlohmann::json to_json(const AccountFacts& f) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : f.accounts)
    if (a.human || a.empty_password)
      accounts.push_back(
          {{"name", a.name},
           {"uid", a.uid},
           {"human", a.human},
           {"empty_password", a.empty_password},
           {"locked", a.locked},
           {"max_days", a.max_days ? nlohmann::json(*a.max_days) : nlohmann::json()}});
  return {{"pass_max_days", f.login_defs_pass_max_days ? nlohmann::json(*f.login_defs_pass_max_days)
                                                       : nlohmann::json()},
          {"uid_min", f.uid_min},
          {"shadow_readable", f.shadow_readable},
          {"accounts", accounts}};
}

Finding evaluate_firewall(const FirewallFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  if (!p.require_firewall)
    return make_finding("host.firewall", Status::not_applicable, Severity::info, "not_required",
                        ev);
  bool live = f.live_input_chains && *f.live_input_chains > 0 && f.live_rules && *f.live_rules > 0;
  if (f.ufw_enabled || f.firewalld_enabled || live)
    return make_finding("host.firewall", Status::pass, Severity::info,
                        f.ufw_enabled         ? "ufw"
                        : f.firewalld_enabled ? "firewalld"
                                              : "nftables_live",
                        ev);
  if (f.nftables_service_enabled && !f.live_input_chains)
    return make_finding("host.firewall", Status::pass, Severity::info, "nftables_service", ev);
  return make_finding("host.firewall", Status::fail, Severity::high, "none", ev);
}

Finding evaluate_screen_lock(const ScreenLockFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  ev["max_idle_seconds"] = p.screen_lock_max_idle_seconds;
  ev["locked_for_users"] = f.idle_delay_locked && f.lock_enabled_locked;
  if (!f.desktop_present)
    return make_finding("host.screen_lock", Status::not_applicable, Severity::info, "no_desktop",
                        ev);
  if (!f.lock_enabled || !*f.lock_enabled)
    return make_finding("host.screen_lock", Status::fail, Severity::medium, "lock_disabled", ev);
  if (!f.idle_delay_seconds || *f.idle_delay_seconds == 0)
    return make_finding("host.screen_lock", Status::fail, Severity::medium, "never_blanks", ev);
  if (*f.idle_delay_seconds > p.screen_lock_max_idle_seconds)
    return make_finding("host.screen_lock", Status::fail, Severity::medium, "too_long", ev);
  return make_finding("host.screen_lock", Status::pass, Severity::info, "locks", ev);
}

Finding evaluate_shares(const ShareFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  size_t n = f.samba_shares.size() + f.usershares.size();
  ev["shares"] = n;
  ev["more"] = n > 0 ? n - 1 : 0;
  if (n == 0) return make_finding("host.shared_folders", Status::pass, Severity::info, "none", ev);
  if (p.allow_shared_folders)
    return make_finding("host.shared_folders", Status::pass, Severity::info, "allowed", ev);
  return make_finding("host.shared_folders", Status::fail, Severity::medium,
                      !f.samba_shares.empty() ? "samba" : "usershare", ev);
}

Finding evaluate_password_age(const AccountFacts& f, const HostPolicy& p) {
  nlohmann::json bad = nlohmann::json::array();
  for (const auto& a : f.accounts) {
    if (!a.human || a.locked) continue;
    if (!a.max_days || *a.max_days > p.password_max_age_days)
      bad.push_back(
          {{"account", a.name},
           {"max_days", a.max_days ? nlohmann::json(*a.max_days) : nlohmann::json("never")}});
  }
  nlohmann::json ev = {
      {"pass_max_days",
       f.login_defs_pass_max_days ? nlohmann::json(*f.login_defs_pass_max_days) : nlohmann::json()},
      {"limit_days", p.password_max_age_days},
      {"accounts", bad},
      {"more", bad.empty() ? 0 : bad.size() - 1}};
  if (!f.shadow_readable)
    return make_finding("auth.password_max_age", Status::error, Severity::medium, "unreadable", ev);
  bool defs_ok =
      f.login_defs_pass_max_days && *f.login_defs_pass_max_days <= p.password_max_age_days;
  if (bad.empty() && defs_ok)
    return make_finding("auth.password_max_age", Status::pass, Severity::info, "enforced", ev);
  if (!bad.empty())
    return make_finding("auth.password_max_age", Status::fail, Severity::medium, "account", ev);
  return make_finding("auth.password_max_age", Status::fail, Severity::low, "login_defs", ev);
}

Finding evaluate_empty_passwords(const AccountFacts& f) {
  nlohmann::json empty = nlohmann::json::array();
  for (const auto& a : f.accounts)
    if (a.empty_password) empty.push_back(a.name);
  if (!f.shadow_readable)
    return make_finding("auth.empty_password", Status::error, Severity::medium, "unreadable");
  if (empty.empty())
    return make_finding("auth.empty_password", Status::pass, Severity::info, "none");
  return make_finding("auth.empty_password", Status::fail, Severity::critical, "found",
                      {{"accounts", empty}, {"more", empty.size() - 1}});
}

}  // namespace warden::agent
