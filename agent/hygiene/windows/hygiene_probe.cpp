// Included first: it brings in Boost.Asio's winsock2.h before windows.h, which lm.h needs.
#include "agent/hygiene/windows/windows_hygiene_probe.hpp"

#include <lm.h>
#include <netfw.h>

#include <cstdint>
#include <functional>
#include <stdexcept>

#include "agent/hygiene/windows_hygiene.hpp"
#include "agent/platform/windows/com.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

// CLSID_NetFwPolicy2 is not in MinGW-w64's netfw.h.
const CLSID kClsidNetFwPolicy2 = {
    0xe2b3c97f, 0x6ae1, 0x41ac, {0x81, 0x7a, 0xf6, 0xf9, 0x21, 0x66, 0xd7, 0xdd}};

const wchar_t* const kPolicyDesktop =
    L"Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop";
const wchar_t* const kExplorerPolicies =
    L"Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer";

// Runs `read`; its exception's text becomes `error`.
void guarded(std::string& error, const std::function<void()>& read) {
  try {
    read();
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown failure";
  }
}

// A value Windows keeps as REG_SZ but some tools write as REG_DWORD: either, as text.
std::optional<std::string> reg_text(HKEY root, const std::wstring& subkey, const wchar_t* value) {
  try {
    return win32::reg_string(root, subkey.c_str(), value);
  } catch (const std::exception&) {
    auto d = win32::reg_dword(root, subkey.c_str(), value);  // throws again if neither
    if (!d) return std::nullopt;
    return std::to_string(*d);
  }
}

ScreenSaverValues screen_saver_values(HKEY root, const std::wstring& subkey) {
  ScreenSaverValues v;
  v.active = reg_text(root, subkey, L"ScreenSaveActive");
  v.secure = reg_text(root, subkey, L"ScreenSaverIsSecure");
  v.timeout = reg_text(root, subkey, L"ScreenSaveTimeOut");
  v.executable = reg_text(root, subkey, L"SCRNSAVE.EXE");
  return v;
}

// The loaded user hives (HKEY_USERS\S-1-5-21-..., not their _Classes): the people logged on.
std::vector<std::wstring> user_hives() {
  std::vector<std::wstring> out;
  for (DWORD i = 0; out.size() < 64; ++i) {
    wchar_t name[256];
    DWORD len = 256;
    LSTATUS rc = RegEnumKeyExW(HKEY_USERS, i, name, &len, nullptr, nullptr, nullptr, nullptr);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc == ERROR_MORE_DATA) continue;
    if (rc != ERROR_SUCCESS) win32::fail("RegEnumKeyExW HKEY_USERS", static_cast<DWORD>(rc));
    std::wstring n(name, len);
    if (n.rfind(L"S-1-5-21-", 0) == 0 && n.find(L"_Classes") == std::wstring::npos)
      out.push_back(n);
  }
  return out;
}

ScreenLockFacts read_screen_lock() {
  WindowsScreenLockRaw raw;
  raw.machine_policy = screen_saver_values(HKEY_LOCAL_MACHINE, kPolicyDesktop);
  raw.inactivity_timeout_secs = win32::reg_dword(
      HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
      L"InactivityTimeoutSecs");
  auto hives = user_hives();
  if (hives.empty()) hives.push_back(L".DEFAULT");
  for (const auto& sid : hives)
    raw.users.push_back({win32::utf8(sid),
                         screen_saver_values(HKEY_USERS, sid + L"\\" + kPolicyDesktop),
                         screen_saver_values(HKEY_USERS, sid + L"\\Control Panel\\Desktop")});
  return windows_screen_lock_facts(raw);
}

// A NetApi32 failure: its NERR_ name where Windows' message table has none.
[[noreturn]] void net_fail(const std::string& what, NET_API_STATUS rc) {
  auto name = netapi_status_name(rc);
  if (name.empty()) win32::fail(what, rc);
  throw std::runtime_error(what + ": " + name + " (NET_API_STATUS " + std::to_string(rc) + ")");
}

// NetApi32 buffers, freed on scope exit.
struct NetBuffer {
  LPBYTE p = nullptr;
  ~NetBuffer() {
    if (p != nullptr) NetApiBufferFree(p);
  }
};

ShareFacts read_shares() {
  std::vector<WindowsShare> shares;
  DWORD resume = 0;
  for (int round = 0; round < 64; ++round) {
    NetBuffer buf;
    DWORD read = 0, total = 0;
    NET_API_STATUS rc =
        NetShareEnum(nullptr, 2, &buf.p, MAX_PREFERRED_LENGTH, &read, &total, &resume);
    if (rc != NERR_Success && rc != ERROR_MORE_DATA) net_fail("NetShareEnum level 2", rc);
    auto* rows = reinterpret_cast<SHARE_INFO_2*>(buf.p);
    for (DWORD i = 0; rows != nullptr && i < read && shares.size() < kMaxWindowsShares; ++i)
      shares.push_back({win32::utf8(rows[i].shi2_netname, 256), rows[i].shi2_type,
                        win32::utf8(rows[i].shi2_path, 1024)});
    if (rc != ERROR_MORE_DATA || shares.size() >= kMaxWindowsShares) break;
  }
  const wchar_t* params = L"SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
  return windows_share_facts(shares, win32::reg_dword(HKEY_LOCAL_MACHINE, params, L"AutoShareWks"),
                             win32::reg_dword(HKEY_LOCAL_MACHINE, params, L"AutoShareServer"));
}

// The RID of a local account (the last sub-authority of its SID); 0 when it cannot be looked up.
uint32_t account_rid(const std::wstring& name) {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof sid, domain_size = 256;
  wchar_t domain[256];
  SID_NAME_USE use{};
  if (!LookupAccountNameW(nullptr, name.c_str(), sid, &sid_size, domain, &domain_size, &use) ||
      !IsValidSid(sid))
    return 0;
  UCHAR n = *GetSidSubAuthorityCount(sid);
  return n == 0 ? 0 : *GetSidSubAuthority(sid, n - 1);
}

// NetUserEnum at `level` 3 (USER_INFO_3: with the RID) or 1 (USER_INFO_1: the RID looked up by
// name; what Wine implements, and what a caller without administrator rights gets).
std::vector<WindowsUser> enum_users(DWORD level) {
  std::vector<WindowsUser> users;
  DWORD resume = 0;
  for (int round = 0; round < 64; ++round) {
    NetBuffer buf;
    DWORD read = 0, total = 0;
    NET_API_STATUS rc = NetUserEnum(nullptr, level, FILTER_NORMAL_ACCOUNT, &buf.p,
                                    MAX_PREFERRED_LENGTH, &read, &total, &resume);
    if (rc != NERR_Success && rc != ERROR_MORE_DATA)
      net_fail("NetUserEnum level " + std::to_string(level), rc);
    for (DWORD i = 0; buf.p != nullptr && i < read && users.size() < kMaxWindowsAccounts; ++i) {
      if (level == 3) {
        const auto& u = reinterpret_cast<USER_INFO_3*>(buf.p)[i];
        users.push_back(
            {win32::utf8(u.usri3_name, 256), u.usri3_user_id, u.usri3_flags, u.usri3_password_age});
      } else {
        const auto& u = reinterpret_cast<USER_INFO_1*>(buf.p)[i];
        std::wstring name = u.usri1_name != nullptr ? u.usri1_name : L"";
        users.push_back(
            {win32::utf8(name), account_rid(name), u.usri1_flags, u.usri1_password_age});
      }
    }
    if (rc != ERROR_MORE_DATA || users.size() >= kMaxWindowsAccounts) break;
  }
  return users;
}

AccountFacts read_accounts() {
  std::vector<WindowsUser> users;
  try {
    users = enum_users(3);
  } catch (const std::exception& level3) {
    try {
      users = enum_users(1);
    } catch (const std::exception& level1) {
      throw std::runtime_error(std::string(level3.what()) + "; " + level1.what());
    }
  }
  // The policy on its own: without it auth.empty_password can still be judged.
  std::optional<WindowsPasswordPolicy> policy;
  std::string policy_error;
  guarded(policy_error, [&] {
    NetBuffer buf;
    NET_API_STATUS rc = NetUserModalsGet(nullptr, 0, &buf.p);
    if (rc != NERR_Success || buf.p == nullptr) net_fail("NetUserModalsGet level 0", rc);
    auto* m = reinterpret_cast<USER_MODALS_INFO_0*>(buf.p);
    policy = WindowsPasswordPolicy{m->usrmod0_max_passwd_age, m->usrmod0_min_passwd_age,
                                   m->usrmod0_min_passwd_len};
  });
  return windows_account_facts(policy, users, policy_error);
}

FirewallFacts read_firewall() {
  win32::ComScope com;
  win32::ComPtr<INetFwPolicy2> fw;
  win32::check(CoCreateInstance(kClsidNetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER,
                                __uuidof(INetFwPolicy2), reinterpret_cast<void**>(fw.put())),
               "Windows Firewall CoCreateInstance(NetFwPolicy2)");
  long current = 0;
  win32::check(fw->get_CurrentProfileTypes(&current),
               "Windows Firewall INetFwPolicy2::get_CurrentProfileTypes");
  std::vector<WindowsFirewallProfileRaw> profiles;
  for (auto type : {NET_FW_PROFILE2_DOMAIN, NET_FW_PROFILE2_PRIVATE, NET_FW_PROFILE2_PUBLIC}) {
    VARIANT_BOOL on = VARIANT_FALSE;
    win32::check(fw->get_FirewallEnabled(type, &on),
                 "Windows Firewall INetFwPolicy2::get_FirewallEnabled(" +
                     std::to_string(static_cast<int>(type)) + ")");
    profiles.push_back({static_cast<int>(type), on != VARIANT_FALSE});
  }
  return windows_firewall_facts(current, profiles);
}

}  // namespace

HygieneFacts WindowsHygieneProbe::collect() {
  HygieneFacts f;
  guarded(f.firewall.error, [&] { f.firewall = read_firewall(); });
  guarded(f.screen_lock.error, [&] { f.screen_lock = read_screen_lock(); });
  guarded(f.shares.error, [&] { f.shares = read_shares(); });
  guarded(f.accounts.error, [&] { f.accounts = read_accounts(); });
  f.remote_desktop.emplace();
  guarded(f.remote_desktop->error, [&] {
    *f.remote_desktop = windows_remote_desktop_facts(
        win32::reg_dword(HKEY_LOCAL_MACHINE,
                         L"SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
                         L"fDenyTSConnections"),
        win32::reg_dword(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
                         L"fDenyTSConnections"));
  });
  f.autorun.emplace();
  guarded(f.autorun->error, [&] {
    *f.autorun = windows_autorun_facts(
        win32::reg_dword(HKEY_LOCAL_MACHINE, kExplorerPolicies, L"NoDriveTypeAutoRun"),
        win32::reg_dword(HKEY_CURRENT_USER, kExplorerPolicies, L"NoDriveTypeAutoRun"));
  });
  return f;
}

}  // namespace warden::agent
