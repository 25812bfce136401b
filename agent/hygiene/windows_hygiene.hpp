// Interpreting what Windows says about host hygiene: pure functions, compiled and unit-tested on
// Linux too (tests/unit/windows_hygiene_test.cpp). The Windows probe (windows/hygiene_probe.cpp)
// reads the registry, NetShareEnum, NetUserModalsGet/NetUserEnum and INetFwPolicy2 and hands the
// raw values here. Registry strings and account/share names are whatever an administrator (or a
// program) wrote: every parser is total and bounded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {

inline constexpr size_t kMaxWindowsShares = 256;
inline constexpr size_t kMaxWindowsAccounts = 1024;
inline constexpr size_t kMaxWindowsNameBytes = 256;

// ---- screen lock ----

// The screen-saver values of one key, as Windows stores them (REG_SZ, even the numbers); nullopt
// when the value is absent.
struct ScreenSaverValues {
  std::optional<std::string> active;      // ScreenSaveActive "1" | "0"
  std::optional<std::string> secure;      // ScreenSaverIsSecure "1" | "0"
  std::optional<std::string> timeout;     // ScreenSaveTimeOut, seconds
  std::optional<std::string> executable;  // SCRNSAVE.EXE: no screen saver runs without one
};
// One user's hive (HKEY_USERS\<SID>): the user policy (Software\Policies\Microsoft\Windows\Control
// Panel\Desktop, set by Group Policy; users cannot change it) and the user's own setting (Control
// Panel\Desktop).
struct UserScreenSaver {
  std::string user;  // SID, or ".DEFAULT" when no user is logged on
  ScreenSaverValues policy;
  ScreenSaverValues setting;
};
struct WindowsScreenLockRaw {
  ScreenSaverValues
      machine_policy;  // HKLM\Software\Policies\Microsoft\Windows\Control Panel\Desktop
  // HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System InactivityTimeoutSecs
  // ("Interactive logon: machine inactivity limit"): the session locks after it, for everyone.
  std::optional<uint32_t> inactivity_timeout_secs;
  std::vector<UserScreenSaver> users;
};
// Per value the machine policy, then the user policy, then the user's setting wins; a screen saver
// runs when ScreenSaveActive is "1" and SCRNSAVE.EXE is set, after ScreenSaveTimeOut (Windows'
// default 900 s when unset) and locks when ScreenSaverIsSecure is "1". Values from policies are
// locked for users. The user judged is the least locked one (no lock, then never blanks, then
// the longest delay); `sources` names the keys its values came from.
ScreenLockFacts windows_screen_lock_facts(const WindowsScreenLockRaw& raw);
// A registry number written as text ("600", " 600 "); nullopt for anything else or > 10^9.
std::optional<int> parse_registry_int(std::string_view s);

// ---- shares ----

// SHARE_INFO_2/502: shi_netname, shi_type (STYPE_*), shi_path.
struct WindowsShare {
  std::string name;
  uint32_t type = 0;
  std::string path;
};
inline constexpr uint32_t kStypeDiskTree = 0, kStypePrintQ = 1, kStypeDevice = 2, kStypeIpc = 3;
inline constexpr uint32_t kStypeSpecial = 0x80000000u, kStypeTemporary = 0x40000000u;
// Disk shares without STYPE_SPECIAL are people's shares (hidden "x$" ones too); STYPE_SPECIAL ones
// are the administrative shares (ADMIN$, C$, IPC$). Printers and devices are not folders.
// auto_share: LanmanServer\Parameters AutoShareWks (workstations) or AutoShareServer; 0 turns the
// default admin shares off at boot, anything else (or unset) leaves them on.
ShareFacts windows_share_facts(const std::vector<WindowsShare>& shares,
                               std::optional<uint32_t> auto_share_wks,
                               std::optional<uint32_t> auto_share_server);

// ---- accounts ----

// "NERR_InternalError" for the NetApi32 status codes Windows' FormatMessage does not know (they
// live in netmsg.dll), "" for others.
std::string netapi_status_name(uint32_t status);

// USER_MODALS_INFO_0 (seconds; TIMEQ_FOREVER 0xFFFFFFFF = never).
struct WindowsPasswordPolicy {
  uint32_t max_passwd_age = 0xFFFFFFFFu;
  uint32_t min_passwd_age = 0;
  uint32_t min_passwd_len = 0;
};
// USER_INFO_3: usri3_name, usri3_user_id (RID), usri3_flags (UF_*), usri3_password_age (seconds).
struct WindowsUser {
  std::string name;
  uint32_t rid = 0;
  uint32_t flags = 0;
  uint32_t password_age_seconds = 0;
};
inline constexpr uint32_t kUfAccountDisable = 0x0002, kUfLockout = 0x0010,
                          kUfPasswdNotReqd = 0x0020, kUfNormalAccount = 0x0200,
                          kUfDontExpirePasswd = 0x10000;
inline constexpr uint32_t kTimeqForever = 0xFFFFFFFFu;
// People's accounts: normal accounts other than Guest (501), DefaultAccount (503) and
// WDAGUtilityAccount (504); disabled or locked out ones cannot log on (`locked`). max_days: the
// policy's maximum age, or none when the account's password never expires. Without the policy
// (nullopt: NetUserModalsGet failed, `policy_error` says why) the accounts are still listed, for
// auth.empty_password.
AccountFacts windows_account_facts(const std::optional<WindowsPasswordPolicy>& policy,
                                   const std::vector<WindowsUser>& users,
                                   const std::string& policy_error = "");

// ---- firewall ----

// INetFwPolicy2: get_CurrentProfileTypes (a NET_FW_PROFILE2_* bitmask) and get_FirewallEnabled
// per profile type (1 domain, 2 private, 4 public).
struct WindowsFirewallProfileRaw {
  int type = 0;
  bool enabled = false;
};
FirewallFacts windows_firewall_facts(long current_profile_types,
                                     const std::vector<WindowsFirewallProfileRaw>& profiles);

// ---- Remote Desktop, AutoRun ----

// fDenyTSConnections from the policy (HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal
// Services) over the setting (HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server); 0 = allowed.
RemoteDesktopFacts windows_remote_desktop_facts(std::optional<uint32_t> policy_deny,
                                                std::optional<uint32_t> setting_deny);
// NoDriveTypeAutoRun (Software\Microsoft\Windows\CurrentVersion\Policies\Explorer) from HKLM over
// HKCU: bit per drive type (0x4 removable, 0x8 fixed, 0x10 network, 0x20 CD-ROM, 0x40 RAM disk,
// 0x1/0x80 unknown); Windows' default when unset is 0x91 (removable drives not covered).
AutoRunFacts windows_autorun_facts(std::optional<uint32_t> machine, std::optional<uint32_t> user);

}  // namespace warden::agent
