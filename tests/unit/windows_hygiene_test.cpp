// The platform-free interpretation of what Windows says about host hygiene (issue 15), tested on
// Linux with fixtures: screen-saver registry values (machine policy, user policy, user setting,
// machine inactivity limit), NetShareEnum rows, NetUserModalsGet/NetUserEnum rows, INetFwPolicy2
// profiles, Remote Desktop and AutoRun values, and the hygiene module fed by a fake probe (the
// real one needs Windows: it runs under wine in tests/windows/agent_exe_test.sh).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "agent/hygiene/hygiene_checks.hpp"
#include "agent/hygiene/hygiene_module.hpp"
#include "agent/hygiene/windows_hygiene.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

ScreenSaverValues saver(
    std::optional<std::string> active, std::optional<std::string> secure,
    std::optional<std::string> timeout,
    std::optional<std::string> exe = std::string("C:\\Windows\\system32\\scrnsave.scr")) {
  return {std::move(active), std::move(secure), std::move(timeout), std::move(exe)};
}

const char* kUser = "S-1-5-21-1004336348-1177238915-682003330-1001";

}  // namespace

TEST_CASE("Windows screen lock: the user's own setting, then the user policy, then the machine's") {
  HostPolicy p;  // limit 600 s
  WindowsScreenLockRaw raw;
  raw.users.push_back({kUser, {}, saver("1", "1", "300")});
  auto f = windows_screen_lock_facts(raw);
  CHECK(f.desktop_present);
  CHECK(f.desktop == "windows");
  CHECK(f.user == kUser);
  CHECK(f.lock_enabled == true);
  CHECK(f.idle_delay_seconds == 300);
  CHECK_FALSE(f.idle_delay_locked);  // the user can change it
  CHECK(f.sources ==
        std::vector<std::string>{std::string("HKU\\") + kUser + "\\Control Panel\\Desktop"});
  CHECK(evaluate_screen_lock(f, p).summary_key == "locks");

  // A user policy (Group Policy) overrides the user's setting, value by value, and is locked.
  raw.users[0].policy = saver(std::nullopt, std::nullopt, "1800", std::nullopt);
  f = windows_screen_lock_facts(raw);
  CHECK(f.idle_delay_seconds == 1800);
  CHECK_FALSE(f.idle_delay_locked);  // ScreenSaveActive still comes from the user's setting
  CHECK(evaluate_screen_lock(f, p).summary_key == "too_long");
  raw.users[0].policy.active = "1";
  raw.users[0].policy.secure = "1";
  f = windows_screen_lock_facts(raw);
  CHECK(f.idle_delay_locked);
  CHECK(f.lock_enabled_locked);
  CHECK(f.sources.size() == 2);

  // A machine policy beats both.
  raw.machine_policy = saver(std::nullopt, std::nullopt, " 600 ", std::nullopt);
  f = windows_screen_lock_facts(raw);
  CHECK(f.idle_delay_seconds == 600);
  auto fin = evaluate_screen_lock(f, p);
  CHECK(fin.status == Status::pass);
  CHECK(fin.evidence["locked_for_users"] == true);
  CHECK(std::find(f.sources.begin(), f.sources.end(),
                  "HKLM\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop") !=
        f.sources.end());
}

TEST_CASE("Windows screen lock: no screen saver, not secure, junk, defaults") {
  HostPolicy p;
  WindowsScreenLockRaw raw;
  // Nothing set at all (a fresh profile): no screen saver runs, nothing locks.
  raw.users.push_back({kUser, {}, {}});
  auto f = windows_screen_lock_facts(raw);
  CHECK(f.lock_enabled == false);
  CHECK(evaluate_screen_lock(f, p).summary_key == "lock_disabled");
  // Secure and active but no SCRNSAVE.EXE ("(None)" in the dialog): never blanks.
  raw.users[0].setting = saver("1", "1", "300", std::nullopt);
  CHECK(evaluate_screen_lock(windows_screen_lock_facts(raw), p).summary_key == "never_blanks");
  raw.users[0].setting = saver("1", "1", "300", std::string("  "));
  CHECK(evaluate_screen_lock(windows_screen_lock_facts(raw), p).summary_key == "never_blanks");
  // Not secure: the screen saver runs but does not lock.
  raw.users[0].setting = saver("1", "0", "300");
  CHECK(evaluate_screen_lock(windows_screen_lock_facts(raw), p).summary_key == "lock_disabled");
  // Inactive.
  raw.users[0].setting = saver("0", "1", "300");
  CHECK(evaluate_screen_lock(windows_screen_lock_facts(raw), p).summary_key == "never_blanks");
  // No timeout: Windows' default of 900 s (too long for 600).
  raw.users[0].setting = saver("1", "1", std::nullopt);
  f = windows_screen_lock_facts(raw);
  CHECK(f.idle_delay_seconds == 900);
  // A timeout that is not a number is no delay.
  for (const char* junk : {"ten", "-5", "", "99999999999", "3e2", "0x100"}) {
    raw.users[0].setting = saver("1", "1", std::string(junk));
    CHECK(windows_screen_lock_facts(raw).idle_delay_seconds == 0);
  }
  CHECK(parse_registry_int(" 42 ") == 42);
  CHECK_FALSE(parse_registry_int("4 2"));
}

TEST_CASE("Windows screen lock: the machine inactivity limit, the least locked user judged") {
  HostPolicy p;
  WindowsScreenLockRaw raw;
  raw.users.push_back({"S-1-5-21-1-2-3-1001", {}, saver("1", "1", "300")});
  raw.users.push_back({"S-1-5-21-1-2-3-1002", {}, saver("1", "1", "1200")});
  raw.users.push_back({"S-1-5-21-1-2-3-1003", {}, saver("1", "1", "60")});
  auto f = windows_screen_lock_facts(raw);
  CHECK(f.user == "S-1-5-21-1-2-3-1002");
  CHECK(f.idle_delay_seconds == 1200);
  raw.users[2].setting.secure = "0";
  CHECK(windows_screen_lock_facts(raw).user == "S-1-5-21-1-2-3-1003");

  // InactivityTimeoutSecs locks every session after its limit, whatever the screen saver says.
  raw.inactivity_timeout_secs = 480;
  f = windows_screen_lock_facts(raw);
  CHECK(f.lock_enabled == true);
  CHECK(f.idle_delay_seconds == 480);
  CHECK(f.idle_delay_locked);
  CHECK(evaluate_screen_lock(f, p).status == Status::pass);
  // A shorter screen-saver lock stays the effective one.
  raw.users = {{"S-1-5-21-1-2-3-1001", {}, saver("1", "1", "120")}};
  CHECK(windows_screen_lock_facts(raw).idle_delay_seconds == 120);
  // Out of the policy's range: ignored.
  raw.inactivity_timeout_secs = 0xFFFFFFFFu;
  raw.users = {{"S-1-5-21-1-2-3-1001", {}, {}}};
  CHECK(windows_screen_lock_facts(raw).lock_enabled == false);
  // Nobody logged on: the default profile.
  raw.users.clear();
  CHECK(windows_screen_lock_facts(raw).user == ".DEFAULT");
}

TEST_CASE("Windows shares: people's shares, hidden ones too, and admin shares as evidence") {
  HostPolicy p;
  std::vector<WindowsShare> rows = {
      {"ADMIN$", kStypeDiskTree | kStypeSpecial, "C:\\Windows"},
      {"C$", kStypeDiskTree | kStypeSpecial, "C:\\"},
      {"IPC$", kStypeIpc | kStypeSpecial, ""},
      {"Scans", kStypeDiskTree, "C:\\Scans"},
      {"finance$", kStypeDiskTree, "D:\\Finance"},  // hidden, but shared
      {"HP LaserJet", kStypePrintQ, ""},
      {"tmp", kStypeDiskTree | kStypeTemporary, "C:\\tmp"},
      {"", kStypeDiskTree, "C:\\x"}};
  auto f = windows_share_facts(rows, std::nullopt, std::nullopt);
  CHECK(f.windows_shares == std::vector<std::string>{"Scans", "finance$", "tmp"});
  CHECK(f.admin_shares == std::vector<std::string>{"ADMIN$", "C$", "IPC$"});
  CHECK(f.admin_shares_enabled == true);
  auto fin = evaluate_shares(f, p);
  CHECK(fin.status == Status::fail);
  CHECK(fin.summary == "Windows share Scans is shared (and 2 more)");
  CHECK(fin.evidence["admin_shares"].size() == 3);
  HostPolicy lax;
  lax.allow_shared_folders = true;
  CHECK(evaluate_shares(f, lax).summary_key == "allowed");

  // AutoShareWks=0 turns the admin shares off at the next boot; until they are gone they are on.
  CHECK(windows_share_facts(rows, 0u, std::nullopt).admin_shares_enabled == true);
  auto off = windows_share_facts({{"Scans", kStypeDiskTree, ""}}, 0u, std::nullopt);
  CHECK(off.admin_shares_enabled == false);
  CHECK(windows_share_facts({}, std::nullopt, 0u).admin_shares_enabled == false);
  CHECK(windows_share_facts({}, 1u, std::nullopt).admin_shares_enabled == true);
  auto none = windows_share_facts({rows[0], rows[1], rows[2], rows[5]}, std::nullopt, std::nullopt);
  CHECK(evaluate_shares(none, p).summary_key == "none");

  // Hostile names: bounded and printable; at most kMaxWindowsShares.
  std::vector<WindowsShare> many(kMaxWindowsShares + 50,
                                 {std::string(5000, 'x') + "\x1b[2J", 0, ""});
  auto big = windows_share_facts(many, std::nullopt, std::nullopt);
  CHECK(big.windows_shares.size() == kMaxWindowsShares);
  CHECK(big.windows_shares[0].size() <= kMaxWindowsNameBytes);
  CHECK(big.windows_shares[0].find('\x1b') == std::string::npos);
}

TEST_CASE("Windows accounts: password policy, never-expiring, disabled, Guest, no password") {
  HostPolicy p;  // 90 days
  WindowsPasswordPolicy pol;
  pol.max_passwd_age = 42 * 86400;  // Windows' default
  pol.min_passwd_len = 8;
  std::vector<WindowsUser> users = {
      {"Administrator", 500, kUfNormalAccount | kUfAccountDisable, 400 * 86400},
      {"Guest", 501, kUfNormalAccount | kUfAccountDisable | kUfPasswdNotReqd, 0},
      {"DefaultAccount", 503, kUfNormalAccount | kUfAccountDisable | kUfPasswdNotReqd, 0},
      {"WDAGUtilityAccount", 504, kUfNormalAccount | kUfAccountDisable, 0},
      {"张伟", 1001, kUfNormalAccount, 10 * 86400 + 5}};
  auto f = windows_account_facts(pol, users);
  CHECK(f.source == "windows");
  CHECK(f.login_defs_pass_max_days == 42);
  CHECK(f.min_password_length == 8);
  REQUIRE(f.accounts.size() == 5);
  CHECK(f.accounts[0].human);
  CHECK(f.accounts[0].locked);
  CHECK(f.accounts[1].guest);
  CHECK_FALSE(f.accounts[1].human);
  CHECK_FALSE(f.accounts[2].human);
  CHECK_FALSE(f.accounts[3].human);
  CHECK(f.accounts[4].name == "张伟");
  CHECK(f.accounts[4].max_days == 42);
  CHECK(f.accounts[4].password_age_days == 10);
  CHECK(evaluate_password_age(f, p).summary_key == "enforced");
  CHECK(evaluate_empty_passwords(f).summary_key == "none");  // the only passwordless ones are off

  // "Password never expires" on a person's account.
  users[4].flags |= kUfDontExpirePasswd;
  f = windows_account_facts(pol, users);
  CHECK_FALSE(f.accounts[4].max_days);
  auto fin = evaluate_password_age(f, p);
  CHECK(fin.summary_key == "account");
  CHECK(fin.evidence["accounts"][0]["account"] == "张伟");
  CHECK(fin.evidence["accounts"][0]["max_days"] == "never");
  CHECK(fin.evidence["accounts"][0]["password_age_days"] == 10);

  // No maximum age at all (TIMEQ_FOREVER): every person's account, and the policy itself.
  pol.max_passwd_age = kTimeqForever;
  users[4].flags = kUfNormalAccount;
  f = windows_account_facts(pol, users);
  CHECK_FALSE(f.login_defs_pass_max_days);
  CHECK(evaluate_password_age(f, p).summary_key == "account");
  // Accounts all disabled: only the policy is wrong.
  users[4].flags |= kUfAccountDisable;
  f = windows_account_facts(pol, users);
  fin = evaluate_password_age(f, p);
  CHECK(fin.summary_key == "windows_policy");
  CHECK(
      fin.summary ==
      "the maximum password age policy is not at most 90 days: passwords need not change in time");
  pol.max_passwd_age = 180 * 86400;
  fin = evaluate_password_age(windows_account_facts(pol, users), p);
  CHECK(fin.summary_key == "windows_policy");
  CHECK(fin.evidence["pass_max_days"] == 180);

  // Guest enabled; a person's account that needs no password (locked-out ones cannot log on).
  users[1].flags = kUfNormalAccount | kUfPasswdNotReqd;
  fin = evaluate_empty_passwords(windows_account_facts(pol, users));
  CHECK(fin.status == Status::fail);
  CHECK(fin.severity == Severity::high);
  CHECK(fin.summary_key == "possible");
  CHECK(fin.evidence["accounts"] == nlohmann::json{"Guest"});
  users[1].flags = kUfNormalAccount;  // Guest with a password set is still Guest
  CHECK(evaluate_empty_passwords(windows_account_facts(pol, users)).summary_key == "possible");
  users[1].flags |= kUfAccountDisable;
  users[4].flags = kUfNormalAccount | kUfPasswdNotReqd;
  fin = evaluate_empty_passwords(windows_account_facts(pol, users));
  CHECK(fin.evidence["accounts"] == nlohmann::json{"张伟"});
  users[4].flags |= kUfLockout;
  CHECK(evaluate_empty_passwords(windows_account_facts(pol, users)).summary_key == "none");

  // Without the policy (NetUserModalsGet failed): password age is error, empty passwords judged.
  auto nopol = windows_account_facts(
      std::nullopt, users, "NetUserModalsGet level 0: NERR_InternalError (NET_API_STATUS 2140)");
  fin = evaluate_password_age(nopol, p);
  CHECK(fin.status == Status::error);
  CHECK(fin.summary.find("NERR_InternalError") != std::string::npos);
  CHECK(evaluate_empty_passwords(nopol).status == Status::pass);
  CHECK(to_json(nopol)["policy_error"] == nopol.policy_error);
  CHECK(to_json(nopol)["accounts"].size() == users.size());
  CHECK(netapi_status_name(2140) == "NERR_InternalError");
  CHECK(netapi_status_name(2221) == "NERR_UserNotFound");
  CHECK(netapi_status_name(5).empty());

  // Bounded.
  std::vector<WindowsUser> many(kMaxWindowsAccounts + 10, {"u", 1000, kUfNormalAccount, 0});
  CHECK(windows_account_facts(pol, many).accounts.size() == kMaxWindowsAccounts);
}

TEST_CASE("Windows firewall profiles: on everywhere, off for the current network, off elsewhere") {
  HostPolicy p;
  std::vector<WindowsFirewallProfileRaw> raw = {{1, true}, {2, true}, {4, true}, {8, true}};
  auto f = windows_firewall_facts(2 /* private */, raw);
  REQUIRE(f.windows_profiles.size() == 3);  // type 8 is not a profile
  CHECK(f.windows_profiles[1].name == "private");
  CHECK(f.windows_profiles[1].current);
  CHECK_FALSE(f.windows_profiles[2].current);
  CHECK(evaluate_firewall(f, p).summary_key == "windows_profiles");
  raw[2].enabled = false;  // public off, private current
  auto fin = evaluate_firewall(windows_firewall_facts(2, raw), p);
  CHECK(fin.status == Status::fail);
  CHECK(fin.severity == Severity::low);
  CHECK(fin.summary ==
        "Windows Defender Firewall is off for the public profile (not the current network)");
  fin = evaluate_firewall(windows_firewall_facts(2 | 4, raw), p);
  CHECK(fin.severity == Severity::high);
  CHECK(fin.summary_key == "windows_profile_off");
  HostPolicy lax;
  lax.require_firewall = false;
  CHECK(evaluate_firewall(windows_firewall_facts(4, raw), lax).status == Status::not_applicable);
}

TEST_CASE("Remote Desktop and AutoRun values") {
  CHECK_FALSE(windows_remote_desktop_facts(std::nullopt, std::nullopt).enabled);
  CHECK(windows_remote_desktop_facts(std::nullopt, 0u).enabled == true);
  CHECK(windows_remote_desktop_facts(std::nullopt, 1u).enabled == false);
  auto rdp = windows_remote_desktop_facts(1u, 0u);  // the policy denies: off whatever the setting
  CHECK(rdp.enabled == false);
  CHECK(rdp.source.find("Policies") != std::string::npos);

  auto dflt = windows_autorun_facts(std::nullopt, std::nullopt);
  CHECK_FALSE(dflt.no_drive_type_autorun);
  CHECK_FALSE(dflt.removable_disabled);  // 0x91: unknown, network, unknown types
  CHECK(dflt.disabled_for == std::vector<std::string>{"unknown", "network", "unknown_types"});
  auto all = windows_autorun_facts(0xFFu, 0x91u);
  CHECK(all.removable_disabled);
  CHECK(all.disabled_for.size() == 7);
  CHECK(all.source.rfind("HKLM", 0) == 0);
  auto user = windows_autorun_facts(std::nullopt, 0x4u);
  CHECK(user.removable_disabled);
  CHECK(user.source.rfind("HKCU", 0) == 0);
}

namespace {
class FakeHygieneProbe : public HygieneProbe {
 public:
  explicit FakeHygieneProbe(HygieneFacts f) : f_(std::move(f)) {}
  HygieneFacts collect() override { return f_; }

 private:
  HygieneFacts f_;
};
}  // namespace

TEST_CASE("the hygiene module: a group the probe could not read is error, the others answer") {
  HygieneFacts f;
  f.firewall.error = "Windows Firewall CoCreateInstance(NetFwPolicy2): Class not registered";
  f.accounts.error = "NetUserEnum level 3: Access is denied. (Win32 error 5)";
  f.shares =
      windows_share_facts({{"Scans", kStypeDiskTree, "C:\\Scans"}}, std::nullopt, std::nullopt);
  WindowsScreenLockRaw raw;
  raw.users.push_back({kUser, {}, saver("1", "1", "300")});
  f.screen_lock = windows_screen_lock_facts(raw);
  f.remote_desktop = windows_remote_desktop_facts(std::nullopt, 0u);
  f.autorun = windows_autorun_facts(0xFFu, std::nullopt);
  HygieneModule m(std::make_unique<FakeHygieneProbe>(f));
  auto r = m.run(AgentPolicy{});
  REQUIRE(r.findings.size() == m.check_ids().size());
  std::map<std::string, Finding> by;
  for (const auto& x : r.findings) by[x.check] = x;
  CHECK(by["host.firewall"].status == Status::error);
  CHECK(by["host.firewall"].summary.find("Class not registered") != std::string::npos);
  CHECK(by["auth.password_max_age"].status == Status::error);
  CHECK(by["auth.empty_password"].status == Status::error);
  CHECK(by["host.screen_lock"].status == Status::pass);
  CHECK(by["host.shared_folders"].status == Status::fail);
  CHECK(r.facts["firewall"] == nlohmann::json{{"error", f.firewall.error}});
  CHECK(r.facts["remote_desktop"]["enabled"] == true);
  CHECK(r.facts["autorun"]["removable_disabled"] == true);
  CHECK(r.facts["shares"]["windows_shares"] == nlohmann::json{"Scans"});
  // The Linux probe's facts have no Windows groups.
  CHECK_FALSE(to_json(HygieneFacts{}).contains("remote_desktop"));
}
