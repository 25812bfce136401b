#include "agent/hygiene/hygiene_checks.hpp"

#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

namespace {
nlohmann::json opt(const std::optional<int>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
Finding probe_error(const char* check, const std::string& error) {
  return make_finding(check, Status::error, Severity::medium, catalog::kProbeFailed,
                      {{"module", "hygiene"}, {"error", error}});
}
}  // namespace

nlohmann::json to_json(const FirewallFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  nlohmann::json j = {{"ufw_enabled", f.ufw_enabled},
                      {"firewalld_enabled", f.firewalld_enabled},
                      {"nftables_service_enabled", f.nftables_service_enabled}};
  if (f.live_input_chains) j["live_input_chains"] = *f.live_input_chains;
  if (f.live_rules) j["live_rules"] = *f.live_rules;
  if (!f.live_error.empty()) j["live_error"] = f.live_error;
  if (!f.windows_profiles.empty()) {
    nlohmann::json profiles = nlohmann::json::array();
    for (const auto& pr : f.windows_profiles)
      profiles.push_back({{"name", pr.name}, {"enabled", pr.enabled}, {"current", pr.current}});
    j = {{"windows_profiles", profiles}};
  }
  return j;
}
nlohmann::json to_json(const ScreenLockFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  nlohmann::json j = {
      {"desktop", f.desktop},
      {"idle_delay_seconds",
       f.idle_delay_seconds ? nlohmann::json(*f.idle_delay_seconds) : nlohmann::json()},
      {"lock_enabled", f.lock_enabled ? nlohmann::json(*f.lock_enabled) : nlohmann::json()},
      {"idle_delay_locked", f.idle_delay_locked},
      {"lock_enabled_locked", f.lock_enabled_locked},
      {"sources", f.sources}};
  if (!f.user.empty()) j["user"] = f.user;
  return j;
}
nlohmann::json to_json(const ShareFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  if (f.admin_shares_enabled)
    return {{"windows_shares", f.windows_shares},
            {"admin_shares", f.admin_shares},
            {"admin_shares_enabled", *f.admin_shares_enabled}};
  return {{"samba_shares", f.samba_shares}, {"usershares", f.usershares}};
}
nlohmann::json to_json(const AccountFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  bool windows = f.source == "windows";
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : f.accounts) {
    if (!a.human && !a.empty_password && !windows) continue;
    nlohmann::json j = {{"name", a.name},     {"uid", a.uid},
                        {"human", a.human},   {"empty_password", a.empty_password},
                        {"locked", a.locked}, {"max_days", opt(a.max_days)}};
    if (windows) {
      j["password_age_days"] = opt(a.password_age_days);
      j["password_not_required"] = a.password_not_required;
      j["guest"] = a.guest;
    }
    accounts.push_back(j);
  }
  if (windows && !f.policy_error.empty())
    return {{"source", f.source}, {"policy_error", f.policy_error}, {"accounts", accounts}};
  if (windows)
    return {{"source", f.source},
            {"pass_max_days", opt(f.login_defs_pass_max_days)},
            {"min_password_length", opt(f.min_password_length)},
            {"accounts", accounts}};
  return {{"pass_max_days", opt(f.login_defs_pass_max_days)},
          {"uid_min", f.uid_min},
          {"shadow_readable", f.shadow_readable},
          {"accounts", accounts}};
}
nlohmann::json to_json(const RemoteDesktopFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  return {{"enabled", f.enabled ? nlohmann::json(*f.enabled) : nlohmann::json()},
          {"source", f.source}};
}
nlohmann::json to_json(const AutoRunFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  return {{"no_drive_type_autorun",
           f.no_drive_type_autorun ? nlohmann::json(*f.no_drive_type_autorun) : nlohmann::json()},
          {"disabled_for", f.disabled_for},
          {"removable_disabled", f.removable_disabled},
          {"source", f.source}};
}
nlohmann::json to_json(const HygieneFacts& f) {
  nlohmann::json j = {{"firewall", to_json(f.firewall)},
                      {"screen_lock", to_json(f.screen_lock)},
                      {"shares", to_json(f.shares)},
                      {"accounts", to_json(f.accounts)}};
  if (f.remote_desktop) j["remote_desktop"] = to_json(*f.remote_desktop);
  if (f.autorun) j["autorun"] = to_json(*f.autorun);
  return j;
}

Finding evaluate_firewall(const FirewallFacts& f, const HostPolicy& p) {
  auto ev = to_json(f);
  if (!p.require_firewall)
    return make_finding("host.firewall", Status::not_applicable, Severity::info, "not_required",
                        ev);
  if (!f.error.empty()) return probe_error("host.firewall", f.error);
  if (!f.windows_profiles.empty()) {
    nlohmann::json off = nlohmann::json::array();
    bool current_off = false;
    for (const auto& pr : f.windows_profiles)
      if (!pr.enabled) {
        off.push_back(pr.name);
        current_off |= pr.current;
      }
    ev["profiles_off"] = off;
    if (off.empty())
      return make_finding("host.firewall", Status::pass, Severity::info, "windows_profiles", ev);
    if (current_off)
      return make_finding("host.firewall", Status::fail, Severity::high, "windows_profile_off", ev);
    return make_finding("host.firewall", Status::fail, Severity::low,
                        "windows_inactive_profile_off", ev);
  }
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
  if (!f.error.empty()) return probe_error("host.screen_lock", f.error);
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
  if (!f.error.empty()) return probe_error("host.shared_folders", f.error);
  auto ev = to_json(f);
  size_t n = f.samba_shares.size() + f.usershares.size() + f.windows_shares.size();
  ev["shares"] = n;
  ev["more"] = n > 0 ? n - 1 : 0;
  if (n == 0) return make_finding("host.shared_folders", Status::pass, Severity::info, "none", ev);
  if (p.allow_shared_folders)
    return make_finding("host.shared_folders", Status::pass, Severity::info, "allowed", ev);
  return make_finding("host.shared_folders", Status::fail, Severity::medium,
                      !f.windows_shares.empty() ? "windows"
                      : !f.samba_shares.empty() ? "samba"
                                                : "usershare",
                      ev);
}

Finding evaluate_password_age(const AccountFacts& f, const HostPolicy& p) {
  if (!f.error.empty()) return probe_error("auth.password_max_age", f.error);
  if (!f.policy_error.empty()) return probe_error("auth.password_max_age", f.policy_error);
  nlohmann::json bad = nlohmann::json::array();
  for (const auto& a : f.accounts) {
    if (!a.human || a.locked) continue;
    if (!a.max_days || *a.max_days > p.password_max_age_days) {
      nlohmann::json b = {
          {"account", a.name},
          {"max_days", a.max_days ? nlohmann::json(*a.max_days) : nlohmann::json("never")}};
      if (a.password_age_days) b["password_age_days"] = *a.password_age_days;
      bad.push_back(b);
    }
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
  return make_finding("auth.password_max_age", Status::fail, Severity::low,
                      f.source == "windows" ? "windows_policy" : "login_defs", ev);
}

Finding evaluate_empty_passwords(const AccountFacts& f) {
  if (!f.error.empty()) return probe_error("auth.empty_password", f.error);
  nlohmann::json empty = nlohmann::json::array(), possible = nlohmann::json::array();
  for (const auto& a : f.accounts) {
    if (a.empty_password) empty.push_back(a.name);
    // Windows cannot say whether a password is empty, only that one is not required; an enabled
    // Guest account logs on without one by design.
    else if (!a.locked && (a.password_not_required || a.guest))
      possible.push_back(a.name);
  }
  if (!f.shadow_readable)
    return make_finding("auth.empty_password", Status::error, Severity::medium, "unreadable");
  if (!empty.empty())
    return make_finding("auth.empty_password", Status::fail, Severity::critical, "found",
                        {{"accounts", empty}, {"more", empty.size() - 1}});
  if (!possible.empty())
    return make_finding("auth.empty_password", Status::fail, Severity::high, "possible",
                        {{"accounts", possible}, {"more", possible.size() - 1}});
  return make_finding("auth.empty_password", Status::pass, Severity::info, "none");
}

std::vector<Finding> evaluate_hygiene(const HygieneFacts& f, const HostPolicy& p) {
  return {evaluate_firewall(f.firewall, p), evaluate_screen_lock(f.screen_lock, p),
          evaluate_shares(f.shares, p), evaluate_password_age(f.accounts, p),
          evaluate_empty_passwords(f.accounts)};
}

}  // namespace warden::agent
