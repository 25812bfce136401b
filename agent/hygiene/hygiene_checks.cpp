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
    return make_finding("host.firewall", Status::not_applicable, Severity::info,
                        "no firewall required by policy", ev);
  bool live = f.live_input_chains && *f.live_input_chains > 0 && f.live_rules && *f.live_rules > 0;
  if (f.ufw_enabled || f.firewalld_enabled || live)
    return make_finding("host.firewall", Status::pass, Severity::info,
                        f.ufw_enabled         ? "ufw is enabled"
                        : f.firewalld_enabled ? "firewalld is enabled"
                                              : "an nftables input filter is active",
                        ev);
  if (f.nftables_service_enabled && !f.live_input_chains)
    return make_finding("host.firewall", Status::pass, Severity::info,
                        "the nftables service is enabled", ev);
  return make_finding("host.firewall", Status::fail, Severity::high,
                      "no active packet filter (ufw, firewalld or nftables input rules)", ev);
}

Finding evaluate_screen_lock(const ScreenLockFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  ev["max_idle_seconds"] = p.screen_lock_max_idle_seconds;
  if (!f.desktop_present)
    return make_finding("host.screen_lock", Status::not_applicable, Severity::info,
                        "no graphical desktop installed", ev);
  if (!f.lock_enabled || !*f.lock_enabled)
    return make_finding("host.screen_lock", Status::fail, Severity::medium,
                        "the screen does not lock when idle", ev);
  if (!f.idle_delay_seconds || *f.idle_delay_seconds == 0)
    return make_finding("host.screen_lock", Status::fail, Severity::medium,
                        "the idle delay is disabled: the screen never blanks", ev);
  if (*f.idle_delay_seconds > p.screen_lock_max_idle_seconds)
    return make_finding("host.screen_lock", Status::fail, Severity::medium,
                        "the screen locks after " + std::to_string(*f.idle_delay_seconds) +
                            " s idle (limit " + std::to_string(p.screen_lock_max_idle_seconds) +
                            " s)",
                        ev);
  return make_finding(
      "host.screen_lock", Status::pass, Severity::info,
      "the screen locks after " + std::to_string(*f.idle_delay_seconds) + " s idle" +
          (f.idle_delay_locked && f.lock_enabled_locked ? " (locked for users)" : ""),
      ev);
}

Finding evaluate_shares(const ShareFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  size_t n = f.samba_shares.size() + f.usershares.size();
  if (n == 0)
    return make_finding("host.shared_folders", Status::pass, Severity::info, "no shared folders",
                        ev);
  if (p.allow_shared_folders)
    return make_finding("host.shared_folders", Status::pass, Severity::info,
                        std::to_string(n) + " shared folder(s), allowed by policy", ev);
  std::string first = !f.samba_shares.empty() ? "Samba share [" + f.samba_shares[0] + "]"
                                              : "user share " + f.usershares[0];
  return make_finding(
      "host.shared_folders", Status::fail, Severity::medium,
      first + " is shared" + (n > 1 ? " (and " + std::to_string(n - 1) + " more)" : ""), ev);
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
      {"accounts", bad}};
  if (!f.shadow_readable)
    return make_finding("auth.password_max_age", Status::error, Severity::medium,
                        "cannot read /etc/shadow", ev);
  bool defs_ok =
      f.login_defs_pass_max_days && *f.login_defs_pass_max_days <= p.password_max_age_days;
  if (bad.empty() && defs_ok)
    return make_finding("auth.password_max_age", Status::pass, Severity::info,
                        "passwords must change at least every " +
                            std::to_string(*f.login_defs_pass_max_days) + " days",
                        ev);
  if (!bad.empty())
    return make_finding(
        "auth.password_max_age", Status::fail, Severity::medium,
        "account " + bad[0]["account"].get<std::string>() +
            " need not change its password within " + std::to_string(p.password_max_age_days) +
            " days" + (bad.size() > 1 ? " (and " + std::to_string(bad.size() - 1) + " more)" : ""),
        ev);
  return make_finding("auth.password_max_age", Status::fail, Severity::low,
                      "PASS_MAX_DAYS in login.defs is not at most " +
                          std::to_string(p.password_max_age_days) +
                          ": new accounts will not expire",
                      ev);
}

Finding evaluate_empty_passwords(const AccountFacts& f) {
  nlohmann::json empty = nlohmann::json::array();
  for (const auto& a : f.accounts)
    if (a.empty_password) empty.push_back(a.name);
  if (!f.shadow_readable)
    return make_finding("auth.empty_password", Status::error, Severity::medium,
                        "cannot read /etc/shadow");
  if (empty.empty())
    return make_finding("auth.empty_password", Status::pass, Severity::info,
                        "no account has an empty password");
  return make_finding("auth.empty_password", Status::fail, Severity::critical,
                      "account " + empty[0].get<std::string>() + " has an empty password",
                      {{"accounts", empty}});
}

}  // namespace warden::agent
