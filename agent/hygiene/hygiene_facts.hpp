// Plain facts for the host hygiene checks. The Linux probe (agent/hygiene/linux/) fills the Linux
// fields; the Windows probe (agent/hygiene/windows/, interpreted by windows_hygiene.hpp) fills the
// same meaning where it is the same (screen lock, accounts) and its own fields (firewall profiles,
// Windows shares) where it is not. Fields a platform does not have stay unset and are absent from
// the JSON. `error` (per fact group): the probe could not read this group (the API's own error
// text); its checks are then `error` findings, the other groups' checks still run.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
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
  // Windows: Windows Defender Firewall per profile (INetFwPolicy2).
  struct Profile {
    std::string name;  // domain | private | public
    bool enabled = false;
    bool current = false;  // a network of this profile is connected now
  };
  std::vector<Profile> windows_profiles;
  std::string error;
};

struct ScreenLockFacts {
  bool desktop_present = false;           // a GNOME-family desktop's schemas are installed
  std::string desktop;                    // gnome | ukui
  std::optional<int> idle_delay_seconds;  // effective: system-wide setting or the desktop default
  std::optional<bool> lock_enabled;
  bool idle_delay_locked = false;  // users cannot change it (dconf locks)
  bool lock_enabled_locked = false;
  std::vector<std::string> sources;  // files (Windows: registry keys) the values came from
  std::string user;                  // Windows: the user hive judged (the least locked one)
  std::string error;
};

struct ShareFacts {
  std::vector<std::string> samba_shares;  // [section] names other than global/homes/printers/print$
  std::vector<std::string> usershares;    // files in /var/lib/samba/usershares
  // Windows (NetShareEnum): disk shares people made, hidden ones ("x$") included; the default
  // administrative shares (ADMIN$, C$, IPC$: evidence only, every Windows has them) and whether
  // they are created at boot (AutoShareWks/AutoShareServer not 0).
  std::vector<std::string> windows_shares;
  std::vector<std::string> admin_shares;
  std::optional<bool> admin_shares_enabled;
  std::string error;
};

struct AccountFact {
  std::string name;
  int uid = 0;
  bool human = false;
  bool empty_password = false;
  bool locked = false;          // "!" or "*": cannot log in with a password
  std::optional<int> max_days;  // shadow field 5; nullopt = no limit
  // Windows (NetUserEnum): days since the password was set; UF_PASSWD_NOTREQD (an empty password
  // is possible: Windows does not say whether it is empty); the Guest account (RID 501).
  std::optional<int> password_age_days = std::nullopt;
  bool password_not_required = false;
  bool guest = false;
};

struct AccountFacts {
  std::optional<int> login_defs_pass_max_days;
  int uid_min = 1000;
  bool shadow_readable = false;
  std::vector<AccountFact> accounts;
  std::string source;                      // "" (shadow) | "windows" (NetUserModalsGet/NetUserEnum)
  std::optional<int> min_password_length;  // Windows
  std::string error;                       // the accounts could not be read: both checks are error
  std::string policy_error;  // Windows: the password policy could not be read (password age)
};

// Windows only: Remote Desktop (fDenyTSConnections, the policy's over the setting) and AutoRun
// (NoDriveTypeAutoRun, machine policy over user policy). Facts; no check judges them yet.
struct RemoteDesktopFacts {
  std::optional<bool> enabled;  // nullopt: neither value set (Windows' default: disabled)
  std::string source;
  std::string error;
};
struct AutoRunFacts {
  std::optional<uint32_t> no_drive_type_autorun;  // the bitmask; nullopt: not set (0x91 default)
  std::vector<std::string> disabled_for;          // drive types AutoRun is off for
  bool removable_disabled = false;
  std::string source;
  std::string error;
};

struct HygieneFacts {
  FirewallFacts firewall;
  ScreenLockFacts screen_lock;
  ShareFacts shares;
  AccountFacts accounts;
  std::optional<RemoteDesktopFacts> remote_desktop;
  std::optional<AutoRunFacts> autorun;
};

nlohmann::json to_json(const FirewallFacts& f);
nlohmann::json to_json(const ScreenLockFacts& f);
nlohmann::json to_json(const ShareFacts& f);
nlohmann::json to_json(const AccountFacts& f);
nlohmann::json to_json(const RemoteDesktopFacts& f);
nlohmann::json to_json(const AutoRunFacts& f);
nlohmann::json to_json(const HygieneFacts& f);

}  // namespace warden::agent
