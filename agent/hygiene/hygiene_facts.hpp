// Plain facts for the host hygiene checks.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace warden::agent {

struct FirewallFacts {
  bool ufw_enabled = false;        // /etc/ufw/ufw.conf ENABLED=yes
  bool firewalld_enabled = false;  // firewalld.service enabled in systemd
  bool nftables_service_enabled = false;
  std::optional<int> live_input_chains;  // nftables chains hooked on input (nullopt: not readable)
  std::optional<int> live_rules;         // rules in the live ruleset
  std::string live_error;                // why the live ruleset could not be read
};

struct ScreenLockFacts {
  bool desktop_present = false;           // a GNOME-family desktop's schemas are installed
  std::string desktop;                    // gnome | ukui
  std::optional<int> idle_delay_seconds;  // effective: system-wide setting or the desktop default
  std::optional<bool> lock_enabled;
  bool idle_delay_locked = false;  // users cannot change it (dconf locks)
  bool lock_enabled_locked = false;
  std::vector<std::string> sources;  // files the values came from
};

struct ShareFacts {
  std::vector<std::string> samba_shares;  // [section] names other than global/homes/printers/print$
  std::vector<std::string> usershares;    // files in /var/lib/samba/usershares
};

struct AccountFact {
  std::string name;
  int uid = 0;
  bool human = false;
  bool empty_password = false;
  bool locked = false;          // "!" or "*": cannot log in with a password
  std::optional<int> max_days;  // shadow field 5; nullopt = no limit
};

struct AccountFacts {
  std::optional<int> login_defs_pass_max_days;
  int uid_min = 1000;
  bool shadow_readable = false;
  std::vector<AccountFact> accounts;
};

nlohmann::json to_json(const FirewallFacts& f);
nlohmann::json to_json(const ScreenLockFacts& f);
nlohmann::json to_json(const ShareFacts& f);
nlohmann::json to_json(const AccountFacts& f);

}  // namespace warden::agent
