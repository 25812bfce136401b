#include "agent/hygiene/windows_hygiene.hpp"

#include <algorithm>
#include <tuple>

#include "common/text.hpp"

namespace warden::agent {

namespace {

std::string clean(std::string_view s) {
  return text::printable(s, kMaxWindowsNameBytes);
}

// The first value present, and whether it came from a policy (locked for users).
struct Picked {
  std::optional<std::string> value;
  std::string source;
  bool from_policy = false;
};

Picked pick(const std::optional<std::string>& machine, const std::optional<std::string>& policy,
            const std::optional<std::string>& setting, const std::string& user) {
  if (machine)
    return {machine, "HKLM\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop", true};
  if (policy)
    return {policy,
            "HKU\\" + user + "\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop",
            true};
  if (setting) return {setting, "HKU\\" + user + "\\Control Panel\\Desktop", false};
  return {};
}

// Worse is larger: no lock, then never blanks, then the longest delay.
std::tuple<int, int64_t> badness(const ScreenLockFacts& f) {
  if (!f.lock_enabled || !*f.lock_enabled) return {2, 0};
  if (!f.idle_delay_seconds || *f.idle_delay_seconds == 0) return {1, 0};
  return {0, *f.idle_delay_seconds};
}

ScreenLockFacts one_user(const WindowsScreenLockRaw& raw, const UserScreenSaver& u) {
  ScreenLockFacts f;
  f.desktop_present = true;
  f.desktop = "windows";
  f.user = clean(u.user);
  const auto& m = raw.machine_policy;
  auto active = pick(m.active, u.policy.active, u.setting.active, f.user);
  auto secure = pick(m.secure, u.policy.secure, u.setting.secure, f.user);
  auto timeout = pick(m.timeout, u.policy.timeout, u.setting.timeout, f.user);
  auto exe = pick(m.executable, u.policy.executable, u.setting.executable, f.user);
  auto is_one = [](const Picked& p) { return p.value && text::trim(*p.value) == "1"; };
  bool runs = is_one(active) && exe.value && !text::trim(*exe.value).empty();
  int delay = 0;
  if (runs) delay = timeout.value ? parse_registry_int(*timeout.value).value_or(0) : 900;
  f.lock_enabled = is_one(secure);
  f.idle_delay_seconds = delay;
  f.idle_delay_locked = active.from_policy && timeout.from_policy;
  f.lock_enabled_locked = secure.from_policy;
  for (const auto* p : {&active, &secure, &timeout, &exe})
    if (!p->source.empty() &&
        std::find(f.sources.begin(), f.sources.end(), p->source) == f.sources.end())
      f.sources.push_back(p->source);
  // The machine inactivity limit locks the session whatever the screen saver does.
  if (raw.inactivity_timeout_secs && *raw.inactivity_timeout_secs > 0 &&
      *raw.inactivity_timeout_secs <= 599940) {  // the policy's own maximum
    int limit = static_cast<int>(*raw.inactivity_timeout_secs);
    bool screen_saver_locks = *f.lock_enabled && delay > 0;
    f.idle_delay_seconds = screen_saver_locks ? std::min(delay, limit) : limit;
    f.lock_enabled = true;
    f.idle_delay_locked = f.lock_enabled_locked = true;
    f.sources.push_back(
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\InactivityTimeoutSec"
        "s");
  }
  return f;
}

}  // namespace

std::optional<int> parse_registry_int(std::string_view s) {
  auto t = text::trim(s);
  if (t.empty() || t.size() > 10) return std::nullopt;
  int64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > 1000000000) return std::nullopt;
  return static_cast<int>(v);
}

ScreenLockFacts windows_screen_lock_facts(const WindowsScreenLockRaw& raw) {
  std::vector<UserScreenSaver> users = raw.users;
  if (users.empty()) users.push_back({".DEFAULT", {}, {}});
  std::optional<ScreenLockFacts> worst;
  for (const auto& u : users) {
    auto f = one_user(raw, u);
    if (!worst || badness(f) > badness(*worst)) worst = std::move(f);
  }
  return *worst;
}

ShareFacts windows_share_facts(const std::vector<WindowsShare>& shares,
                               std::optional<uint32_t> auto_share_wks,
                               std::optional<uint32_t> auto_share_server) {
  ShareFacts f;
  for (const auto& s : shares) {
    if (f.windows_shares.size() + f.admin_shares.size() >= kMaxWindowsShares) break;
    auto name = clean(s.name);
    if (name.empty()) continue;
    uint32_t kind = s.type & 0xFFu;
    if (s.type & kStypeSpecial)
      f.admin_shares.push_back(name);
    else if (kind == kStypeDiskTree)
      f.windows_shares.push_back(name);
  }
  std::sort(f.windows_shares.begin(), f.windows_shares.end());
  std::sort(f.admin_shares.begin(), f.admin_shares.end());
  bool off =
      (auto_share_wks && *auto_share_wks == 0) || (auto_share_server && *auto_share_server == 0);
  // Off at boot only once the value is 0; shares still listed now are on until the next restart.
  f.admin_shares_enabled = !off || !f.admin_shares.empty();
  return f;
}

std::string netapi_status_name(uint32_t status) {
  switch (status) {
    case 2102:
      return "NERR_NetNotStarted";
    case 2114:
      return "NERR_ServerNotStarted";
    case 2123:
      return "NERR_BufTooSmall";
    case 2138:
      return "NERR_WkstaNotStarted";
    case 2140:
      return "NERR_InternalError";
    case 2221:
      return "NERR_UserNotFound";
    case 2310:
      return "NERR_NetNameNotFound";
    case 2351:
      return "NERR_InvalidComputer";
    default:
      return "";
  }
}

AccountFacts windows_account_facts(const std::optional<WindowsPasswordPolicy>& policy,
                                   const std::vector<WindowsUser>& users,
                                   const std::string& policy_error) {
  AccountFacts f;
  f.source = "windows";
  f.shadow_readable = true;
  f.uid_min = 0;
  if (policy) {
    if (policy->max_passwd_age != kTimeqForever && policy->max_passwd_age > 0)
      f.login_defs_pass_max_days = static_cast<int>(policy->max_passwd_age / 86400);
    f.min_password_length = static_cast<int>(std::min<uint32_t>(policy->min_passwd_len, 1000));
  } else {
    f.policy_error = policy_error.empty() ? "no password policy" : policy_error;
  }
  for (const auto& u : users) {
    if (f.accounts.size() >= kMaxWindowsAccounts) break;
    AccountFact a;
    a.name = clean(u.name);
    a.uid = static_cast<int>(std::min<uint32_t>(u.rid, 0x7FFFFFFFu));
    a.guest = u.rid == 501;
    a.human = (u.flags & kUfNormalAccount) && u.rid != 501 && u.rid != 503 && u.rid != 504;
    a.locked = (u.flags & (kUfAccountDisable | kUfLockout)) != 0;
    a.password_not_required = (u.flags & kUfPasswdNotReqd) != 0;
    if (!(u.flags & kUfDontExpirePasswd)) a.max_days = f.login_defs_pass_max_days;
    a.password_age_days = static_cast<int>(u.password_age_seconds / 86400);
    f.accounts.push_back(std::move(a));
  }
  return f;
}

FirewallFacts windows_firewall_facts(long current_profile_types,
                                     const std::vector<WindowsFirewallProfileRaw>& profiles) {
  FirewallFacts f;
  for (const auto& p : profiles) {
    const char* name = p.type == 1   ? "domain"
                       : p.type == 2 ? "private"
                       : p.type == 4 ? "public"
                                     : "";
    if (!*name) continue;
    f.windows_profiles.push_back({name, p.enabled, (current_profile_types & p.type) != 0});
  }
  return f;
}

RemoteDesktopFacts windows_remote_desktop_facts(std::optional<uint32_t> policy_deny,
                                                std::optional<uint32_t> setting_deny) {
  RemoteDesktopFacts f;
  if (policy_deny) {
    f.enabled = *policy_deny == 0;
    f.source =
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\fDenyTSConnections";
  } else if (setting_deny) {
    f.enabled = *setting_deny == 0;
    f.source = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections";
  }
  return f;
}

AutoRunFacts windows_autorun_facts(std::optional<uint32_t> machine, std::optional<uint32_t> user) {
  AutoRunFacts f;
  const char* key =
      "\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\NoDriveTypeAutoRun";
  if (machine) {
    f.no_drive_type_autorun = machine;
    f.source = std::string("HKLM") + key;
  } else if (user) {
    f.no_drive_type_autorun = user;
    f.source = std::string("HKCU") + key;
  }
  uint32_t v = f.no_drive_type_autorun.value_or(0x91);
  static const std::pair<uint32_t, const char*> kTypes[] = {
      {0x1, "unknown"}, {0x4, "removable"}, {0x8, "fixed"},         {0x10, "network"},
      {0x20, "cdrom"},  {0x40, "ramdisk"},  {0x80, "unknown_types"}};
  for (const auto& [bit, name] : kTypes)
    if (v & bit) f.disabled_for.push_back(name);
  f.removable_disabled = (v & 0x4) != 0;
  return f;
}

}  // namespace warden::agent
