// The check catalogue (common/catalog/checks.json) against the code that uses it: every evaluator
// driven through every summary variant, the agent modules' check lists, the entries'
// completeness, the docs, and the template renderer.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "agent/antivirus/antivirus_checks.hpp"
#include "agent/hygiene/hygiene_checks.hpp"
#include "agent/module_registry.hpp"
#include "agent/network/network_checks.hpp"
#include "agent/patches/patch_checks.hpp"
#include "agent/sweep_runner.hpp"
#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_classify.hpp"
#include "collector/central/central_checks.hpp"
#include "common/catalog/check_catalog.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using nlohmann::json;
using Pair = std::pair<std::string, std::string>;  // (check, variant)

namespace {

constexpr int64_t kNow = 1'780'000'000;  // a fixed "now" (2026), Unix seconds
constexpr int64_t kDay = 86400;

bool is_shared_variant(const std::string& v) {
  return v == catalog::kProbeFailed || v == catalog::kDisabledByPolicy;
}

// ---- Fixtures: facts chosen to reach every variant of every evaluator ----

void add(std::vector<Finding>& out, std::vector<Finding> more) {
  for (auto& f : more) out.push_back(std::move(f));
}

agent::AntivirusFacts clamav() {
  agent::AntivirusFacts f;
  f.product = "clamav";
  f.name = "ClamAV";
  f.installed = true;
  f.installed_evidence = {"package clamav-daemon 1.4.6"};
  f.running = true;
  f.running_processes = {"clamd"};
  f.daemon_answering = true;
  f.daemon_version = "ClamAV 1.4.6";
  f.socket = "/run/clamav/clamd.ctl";
  f.database_dir = "/var/lib/clamav";
  f.signature_format = "cvd";
  f.signature_time = kNow - 2 * kDay;
  f.signature_version = 27000;
  f.databases = {"/var/lib/clamav/daily.cld"};
  return f;
}

std::vector<Finding> antivirus_findings() {
  std::vector<Finding> out;
  AgentPolicy p;
  // Nothing installed (required): none x3.
  add(out, agent::evaluate_antivirus({}, p.antivirus, kNow));
  // Installed, running, answering, fresh.
  add(out, agent::evaluate_antivirus({clamav()}, p.antivirus, kNow));
  // Not running.
  auto down = clamav();
  down.running = false;
  down.daemon_answering.reset();
  add(out, agent::evaluate_antivirus({down}, p.antivirus, kNow));
  // Running but not answering; signatures stale.
  auto mute = clamav();
  mute.daemon_answering = false;
  mute.signature_time = kNow - 30 * kDay;
  add(out, agent::evaluate_antivirus({mute}, p.antivirus, kNow));
  // Signatures in an undocumented format.
  auto closed = clamav();
  closed.signature_format = "none";
  closed.signature_time.reset();
  add(out, agent::evaluate_antivirus({closed}, p.antivirus, kNow));
  // No database, with and without a database directory.
  auto nodb = clamav();
  nodb.signature_time.reset();
  add(out, agent::evaluate_antivirus({nodb}, p.antivirus, kNow));
  nodb.database_dir.clear();
  add(out, agent::evaluate_antivirus({nodb}, p.antivirus, kNow));
  // Policy entries: none, in use, refused (one and several).
  out.push_back(agent::evaluate_policy_entries(p.antivirus, {}, {}));
  AntivirusPolicy extra;
  extra.extra_products = json::array({{{"id", "qax"}}});
  out.push_back(agent::evaluate_policy_entries(extra, {}, {}));
  out.push_back(agent::evaluate_policy_entries(p.antivirus, {"entry 1: not absolute"}, {}));
  auto refused = clamav();
  refused.refused = {"/tmp/x: outside the allowed directories"};
  out.push_back(agent::evaluate_policy_entries(extra, {"entry 2: malformed"}, {refused}));
  return out;
}

agent::PendingUpgrade security_upgrade(std::string name, int64_t first_seen) {
  agent::PendingUpgrade u;
  u.name = std::move(name);
  u.current = "1.0";
  u.candidate = "1.1";
  u.archive = "bookworm-security";
  u.security = true;
  u.first_seen = first_seen;
  return u;
}

std::vector<Finding> patch_findings() {
  std::vector<Finding> out;
  PatchPolicy p;
  // Overdue, lists stale, reboot for a kernel.
  agent::PatchFacts a;
  a.upgrades = {security_upgrade("openssl", kNow - 30 * kDay),
                security_upgrade("libc6", kNow - 1 * kDay)};
  a.pending = a.pending_security = 2;
  a.lists_time = kNow - 30 * kDay;
  a.reboot_required = true;
  a.running_kernel = "6.1.0-20-amd64";
  a.newest_kernel = "6.1.0-21-amd64";
  add(out, agent::evaluate_patches(a, p, kNow));
  // Within grace, lists recent, reboot for other updates.
  agent::PatchFacts b;
  b.upgrades = {security_upgrade("libc6", kNow - 1 * kDay)};
  b.pending = b.pending_security = 1;
  b.lists_time = kNow - 1 * kDay;
  b.last_install_time = kNow - 2 * kDay;
  b.reboot_required = true;
  b.running_kernel = "6.1.0-21-amd64";
  b.reboot_required_pkgs = {"dbus"};
  add(out, agent::evaluate_patches(b, p, kNow));
  // Nothing pending, never refreshed, no reboot.
  agent::PatchFacts c;
  c.running_kernel = c.newest_kernel = "6.1.0-21-amd64";
  add(out, agent::evaluate_patches(c, p, kNow));
  return out;
}

agent::InterfaceFact interface_fact(std::string name, std::string kind, std::string driver = "") {
  agent::InterfaceFact i;
  i.name = std::move(name);
  i.kind = std::move(kind);
  i.driver = std::move(driver);
  i.up = true;
  return i;
}

std::vector<Finding> network_findings() {
  std::vector<Finding> out;
  NetworkPolicy p;
  agent::NetworkFacts wired;
  wired.interfaces = {interface_fact("eth0", "ethernet", "e1000e")};
  wired.default_routes = {{"eth0", "10.0.0.1", "inet", 100}};
  out.push_back(agent::evaluate_unauthorized_interfaces(wired, p));
  auto wifi = wired;
  wifi.interfaces.push_back(interface_fact("wlan0", "wireless", "iwlwifi"));
  wifi.interfaces.push_back(interface_fact("usb0", "usb_network", "rndis_host"));
  out.push_back(agent::evaluate_unauthorized_interfaces(wifi, p));
  auto usbnet = wired;
  usbnet.interfaces.push_back(interface_fact("usb0", "usb_network", "rndis_host"));
  out.push_back(agent::evaluate_unauthorized_interfaces(usbnet, p));
  usbnet.interfaces.back().driver.clear();  // the driver group is optional
  out.push_back(agent::evaluate_unauthorized_interfaces(usbnet, p));
  auto ppp = wired;
  ppp.interfaces.push_back(interface_fact("ppp0", "ppp"));
  out.push_back(agent::evaluate_unauthorized_interfaces(ppp, p));
  auto hotspot = wired;  // Windows: a hosted network with two clients
  hotspot.hotspots.push_back({"hosted_network", "active", true, 2});
  out.push_back(agent::evaluate_unauthorized_interfaces(hotspot, p));
  auto routes = wired;
  routes.default_routes.push_back({"eth1", "", "inet", 200});
  routes.default_routes.push_back({"eth0", "fe80::1", "inet6", 100});
  out.push_back(agent::evaluate_unauthorized_interfaces(routes, p));

  // Egress: not required, no targets, reached, unreachable.
  out.push_back(agent::evaluate_egress(std::nullopt, p));
  NetworkPolicy intranet;
  intranet.intranet_only = true;
  out.push_back(agent::evaluate_egress(std::vector<agent::EgressAttempt>{}, intranet));
  intranet.egress_targets = {"192.0.2.1:443", "198.51.100.1:80"};
  out.push_back(agent::evaluate_egress(std::nullopt, intranet));
  out.push_back(agent::evaluate_egress(
      std::vector<agent::EgressAttempt>{{"192.0.2.1:443", false, "timed out"},
                                        {"198.51.100.1:80", true, "connected"}},
      intranet));
  out.push_back(agent::evaluate_egress(
      std::vector<agent::EgressAttempt>{{"192.0.2.1:443", false, "timed out"},
                                        {"198.51.100.1:80", false, "refused"}},
      intranet));
  return out;
}

agent::UsbDevice usb(std::vector<agent::UsbInterface> ifs, std::string serial = "S1",
                     std::string product = "Cruzer Blade") {
  agent::UsbDevice d;
  d.vendor_id = "0781";
  d.product_id = "5567";
  d.serial = std::move(serial);
  d.product = std::move(product);
  d.syspath = "/sys/devices/pci0000:00/usb1/1-2";
  d.interfaces = std::move(ifs);
  d.kind = agent::classify_usb(d);
  return d;
}

std::vector<Finding> usb_findings() {
  std::vector<Finding> out;
  AgentPolicy p;
  auto stick = usb({{"08", "06", "50", "", "usb-storage"}});
  auto anonymous = usb({{"08", "06", "50", "", "usb-storage"}}, "", "");
  auto phone = usb({{"ff", "ff", "00", "MTP", ""}}, "R58M", "Galaxy");
  auto camera = usb({{"06", "01", "01", "", ""}}, "", "");
  auto modem = usb({{"ff", "00", "00", "", "qmi_wwan"}}, "", "LTE modem");
  // Nothing attached.
  add(out, agent::evaluate_usb({}, p));
  // Unregistered (blocked), a phone.
  add(out, agent::evaluate_usb({stick, phone}, p, {stick}));
  // Unregistered without serial or product, a camera without serial.
  add(out, agent::evaluate_usb({anonymous, stick, camera}, p));
  // Registered storage, a USB network device.
  AgentPolicy reg = p;
  reg.usb.allowed_storage.push_back({"0781", "5567", "S1"});
  add(out, agent::evaluate_usb({stick, modem}, reg));
  return out;
}

std::vector<Finding> hygiene_findings() {
  std::vector<Finding> out;
  HostPolicy p;
  HostPolicy lax;
  lax.require_firewall = false;
  lax.allow_shared_folders = true;

  agent::FirewallFacts fw;
  out.push_back(agent::evaluate_firewall(fw, lax));  // not_required
  out.push_back(agent::evaluate_firewall(fw, p));    // none
  fw.ufw_enabled = true;
  out.push_back(agent::evaluate_firewall(fw, p));
  fw.ufw_enabled = false;
  fw.firewalld_enabled = true;
  out.push_back(agent::evaluate_firewall(fw, p));
  fw.firewalld_enabled = false;
  fw.live_input_chains = 1;
  fw.live_rules = 12;
  out.push_back(agent::evaluate_firewall(fw, p));  // nftables_live
  agent::FirewallFacts svc;
  svc.nftables_service_enabled = true;
  svc.live_error = "permission denied";
  out.push_back(agent::evaluate_firewall(svc, p));  // nftables_service
  agent::FirewallFacts win;
  win.windows_profiles = {
      {"domain", true, false}, {"private", true, true}, {"public", true, false}};
  out.push_back(agent::evaluate_firewall(win, p));  // windows_profiles
  win.windows_profiles[2].enabled = false;
  out.push_back(agent::evaluate_firewall(win, p));  // windows_inactive_profile_off
  win.windows_profiles[1].enabled = false;
  out.push_back(agent::evaluate_firewall(win, p));  // windows_profile_off

  agent::ScreenLockFacts sl;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // no_desktop
  sl.desktop_present = true;
  sl.desktop = "gnome";
  sl.lock_enabled = false;
  sl.idle_delay_seconds = 300;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // lock_disabled
  sl.lock_enabled = true;
  sl.idle_delay_seconds = 0;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // never_blanks
  sl.idle_delay_seconds = 3600;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // too_long
  sl.idle_delay_seconds = 300;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // locks
  sl.idle_delay_locked = sl.lock_enabled_locked = true;
  out.push_back(agent::evaluate_screen_lock(sl, p));  // locks (locked for users)

  agent::ShareFacts sh;
  out.push_back(agent::evaluate_shares(sh, p));  // none
  sh.usershares = {"music"};
  out.push_back(agent::evaluate_shares(sh, p));    // usershare
  out.push_back(agent::evaluate_shares(sh, lax));  // allowed
  sh.samba_shares = {"public"};
  out.push_back(agent::evaluate_shares(sh, p));  // samba (and 1 more)
  agent::ShareFacts wsh;
  wsh.windows_shares = {"Scans"};
  wsh.admin_shares = {"ADMIN$", "C$", "IPC$"};
  wsh.admin_shares_enabled = true;
  out.push_back(agent::evaluate_shares(wsh, p));  // windows

  agent::AccountFacts unreadable;
  out.push_back(agent::evaluate_password_age(unreadable, p));
  out.push_back(agent::evaluate_empty_passwords(unreadable));
  agent::AccountFacts good;
  good.shadow_readable = true;
  good.login_defs_pass_max_days = 90;
  good.accounts = {{"alice", 1000, true, false, false, 90}, {"daemon", 1, false, false, true, {}}};
  out.push_back(agent::evaluate_password_age(good, p));  // enforced
  out.push_back(agent::evaluate_empty_passwords(good));  // none
  auto defs = good;
  defs.login_defs_pass_max_days = 99999;
  out.push_back(agent::evaluate_password_age(defs, p));  // login_defs
  auto bad = good;
  bad.accounts = {{"alice", 1000, true, false, false, {}},
                  {"bob", 1001, true, true, false, 180},
                  {"guest", 1002, false, true, false, {}}};
  out.push_back(agent::evaluate_password_age(bad, p));  // account (and 1 more)
  out.push_back(agent::evaluate_empty_passwords(bad));  // found (and 1 more)
  auto windows = good;
  windows.source = "windows";
  windows.login_defs_pass_max_days.reset();
  windows.accounts = {{"Administrator", 500, true, false, false, 42},
                      {"Guest", 501, false, false, false, {}}};
  windows.accounts[1].guest = true;
  out.push_back(agent::evaluate_password_age(windows, p));  // windows_policy
  out.push_back(agent::evaluate_empty_passwords(windows));  // possible
  return out;
}

std::vector<Finding> central_findings() {
  using namespace warden::collector;
  std::vector<Finding> out;
  std::vector<InterfaceAddress> mine = {{"eth0", "10.1.2.3", "aa:bb:cc:dd:ee:01"},
                                        {"eth1", "10.1.9.9", "aa:bb:cc:dd:ee:02"}};
  LedgerEntry row{"pc-01", "10.1.2.3", "aa:bb:cc:dd:ee:01", "office", "alice", "general"};

  BindingInput in;
  in.hostname = "pc-01";
  in.addresses = mine;
  in.peer_address = "10.1.2.3";
  out.push_back(evaluate_ip_binding(in));  // not_in_ledger
  in.ledger_for_mac = LedgerEntry{"pc-02", "10.1.2.4", "aa:bb:cc:dd:ee:01", "", "", "general"};
  out.push_back(evaluate_ip_binding(in));  // hostname_differs
  in.ledger_for_mac.reset();
  in.ledger_for_host = row;
  out.push_back(evaluate_ip_binding(in));  // bound
  in.peer_address = "10.7.7.7";
  out.push_back(evaluate_ip_binding(in));  // peer_mismatch
  in.peer_address = "10.1.2.3";
  auto other_mac = row;
  other_mac.mac = "aa:bb:cc:dd:ee:99";
  in.ledger_for_host = other_mac;
  out.push_back(evaluate_ip_binding(in));  // mac_differs
  auto other_ip = row;
  other_ip.ip = "10.1.2.200";
  in.ledger_for_host = other_ip;
  out.push_back(evaluate_ip_binding(in));  // ip_changed
  auto split = row;
  split.ip = "10.1.9.9";  // on eth1, while the MAC is eth0's
  in.ledger_for_host = split;
  out.push_back(evaluate_ip_binding(in));  // pair_split

  out.push_back(evaluate_duplicate_address(mine, {}));  // none
  out.push_back(evaluate_duplicate_address(
      mine, {{"pc-07", "agent-7", "10.1.2.3", "aa:bb:cc:dd:ee:77"},
             {"pc-08", "agent-8", "10.1.2.8", "aa:bb:cc:dd:ee:02"}}));  // ip_clash (and 1 more)
  out.push_back(evaluate_duplicate_address(
      mine, {{"pc-08", "agent-8", "10.1.2.8", "aa:bb:cc:dd:ee:02"}}));  // mac_clash

  auto sighting = [](std::optional<std::string> cls, std::vector<std::string> before = {},
                     std::string serial = "S1") {
    UsbStorageSighting s;
    s.vendor_id = "0781";
    s.product_id = "5567";
    s.serial = std::move(serial);
    s.registered_class = std::move(cls);
    s.registered_owner = "alice";
    s.classes_seen_before = std::move(before);
    return s;
  };
  add(out, evaluate_usb_rules("general", {}));                     // none, none_seen
  add(out, evaluate_usb_rules("general", {sighting("general")}));  // none, all_registered
  add(out, evaluate_usb_rules("general", {sighting(std::nullopt), sighting(std::nullopt, {}, "")}));
  add(out, evaluate_usb_rules("general", {sighting("classified")}));  // classified_on_general
  add(out, evaluate_usb_rules("classified", {sighting("general")}));  // general_on_classified
  add(out, evaluate_usb_rules("classified", {sighting("classified", {"general"})}));  // both
  return out;
}

// A module whose probe throws: the sweep runner turns it into probe_failed findings.
class FailingModule : public agent::CheckModule {
 public:
  FailingModule(std::string name, std::vector<std::string> ids)
      : name_(std::move(name)), ids_(std::move(ids)) {}
  std::string name() const override { return name_; }
  std::vector<std::string> check_ids() const override { return ids_; }
  agent::ModuleResult run(const AgentPolicy&) override {
    throw std::runtime_error("cannot read /proc: permission denied");
  }

 private:
  std::string name_;
  std::vector<std::string> ids_;
};

// A module that returns canned findings (the sweep runner applies disabled_checks to them).
class CannedModule : public agent::CheckModule {
 public:
  explicit CannedModule(std::vector<Finding> findings) : findings_(std::move(findings)) {}
  std::string name() const override { return "canned"; }
  std::vector<std::string> check_ids() const override { return {}; }
  agent::ModuleResult run(const AgentPolicy&) override { return {json::object(), findings_}; }

 private:
  std::vector<Finding> findings_;
};

std::vector<Finding> agent_evaluator_findings() {
  std::vector<Finding> out;
  add(out, antivirus_findings());
  add(out, patch_findings());
  add(out, network_findings());
  add(out, usb_findings());
  add(out, hygiene_findings());
  return out;
}

std::vector<Finding> sweep_runner_findings() {
  std::vector<Finding> out;
  warden::test::TempDir dir;
  agent::ProbeContext ctx;
  ctx.root = dir.path();
  ctx.state_dir = dir.path();
  // probe_failed: every real module's check list, through a probe that throws.
  std::vector<std::unique_ptr<agent::CheckModule>> failing;
  for (const auto& m : agent::make_check_modules(ctx))
    failing.push_back(std::make_unique<FailingModule>(m->name(), m->check_ids()));
  add(out, agent::run_sweep(failing, AgentPolicy{}).findings);
  // disabled_by_policy: every agent check disabled.
  AgentPolicy disabled;
  for (const auto& e : catalog::checks())
    if (e.evaluated_by == "agent") disabled.disabled_checks.insert(e.id);
  std::vector<std::unique_ptr<agent::CheckModule>> canned;
  canned.push_back(std::make_unique<CannedModule>(agent_evaluator_findings()));
  add(out, agent::run_sweep(canned, disabled).findings);
  return out;
}

std::vector<Finding> all_findings() {
  std::vector<Finding> out = agent_evaluator_findings();
  add(out, central_findings());
  add(out, sweep_runner_findings());
  return out;
}

// The field paths a template names ({a.b}, {a?..}, {!a?..}), in the order met.
std::set<std::string> template_fields(const std::string& t) {
  std::set<std::string> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() && t[i + 1] == t[i]) {
      ++i;
      continue;
    }
    if (t[i] != '{') continue;
    size_t end = t.find_first_of("?}", i + 1);
    if (end == std::string::npos) break;
    std::string name = t.substr(i + 1, end - i - 1);
    if (!name.empty() && name.front() == '!') name.erase(0, 1);
    out.insert(name);
    i = end;
  }
  return out;
}

// Why `t` is not a well-formed template, or "" when it is. Unlike rendering, this also looks inside
// groups that are not shown (the renderer skips those without parsing them).
std::string malformed(const std::string& t) {
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    bool twice = i + 1 < t.size() && t[i + 1] == t[i];
    if (depth == 0 && (t[i] == '{' || t[i] == '}') && twice) {
      ++i;  // an escape
    } else if (t[i] == '}') {
      if (depth == 0) return "unmatched '}' at " + std::to_string(i);
      --depth;
    } else if (t[i] == '{') {
      size_t end = t.find_first_of("{?}", i + 1);
      if (end == std::string::npos || t[end] == '{')
        return "unterminated field at " + std::to_string(i);
      std::string name = t.substr(i + 1, end - i - 1);
      bool negate = !name.empty() && name.front() == '!';
      if (negate) name.erase(0, 1);
      if (!std::regex_match(name, std::regex(R"([a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|\d+))*)")))
        return "bad field name \"" + name + "\" at " + std::to_string(i);
      if (t[end] == '}' && negate) return "'!' without '?' at " + std::to_string(i);
      if (t[end] == '?') ++depth;
      i = end;
    }
  }
  return depth == 0 ? "" : "unclosed group";
}

bool has_cjk(const std::string& s) {
  // UTF-8 three-byte sequences for U+4E00..U+9FFF start with 0xE4..0xE9.
  for (unsigned char c : s)
    if (c >= 0xE4 && c <= 0xE9) return true;
  return false;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// ---- (a) every variant is reachable and renders ----

TEST_CASE("catalogue: every (check, variant) is produced by an evaluator and nothing else is") {
  auto findings = all_findings();
  std::set<Pair> produced;
  for (const auto& f : findings) produced.insert({f.check, f.summary_key});

  std::set<Pair> expected;
  for (const auto& e : catalog::checks())
    for (const auto& [variant, t] : e.summaries) {
      // Central checks (evaluated_by collector) never pass through the agent's sweep runner, so
      // they cannot be probe_failed or disabled_by_policy.
      if (e.evaluated_by == "collector" && is_shared_variant(variant)) continue;
      expected.insert({e.id, variant});
    }

  for (const auto& p : expected) {
    INFO("catalogue variant no fixture reaches: " << p.first << "/" << p.second);
    CHECK(produced.count(p) == 1);
  }
  for (const auto& p : produced) {
    INFO("produced but not in the catalogue: " << p.first << "/" << p.second);
    CHECK(expected.count(p) == 1);
  }
  CHECK(produced.size() == expected.size());
  // Every agent check can fail its probe and be disabled; a collector check neither.
  size_t agent_checks = 0;
  for (const auto& e : catalog::checks()) {
    if (e.evaluated_by != "agent") continue;
    ++agent_checks;
    CHECK(produced.count({e.id, catalog::kProbeFailed}) == 1);
    CHECK(produced.count({e.id, catalog::kDisabledByPolicy}) == 1);
  }
  CHECK(agent_checks > 0);
}

TEST_CASE("catalogue: every finding renders again, in English identically, and in Chinese") {
  auto findings = all_findings();
  REQUIRE(!findings.empty());
  for (const auto& f : findings) {
    INFO(f.check << "/" << f.summary_key << ": " << f.summary
                 << "\nevidence: " << f.evidence.dump());
    const catalog::CheckEntry* e = catalog::find(f.check);
    REQUIRE(e != nullptr);
    auto it = e->summaries.find(f.summary_key);
    REQUIRE(it != e->summaries.end());
    // Both templates render over the evidence the evaluator sent.
    auto en = catalog::render_template(it->second.en, f.evidence);
    auto zh = catalog::render_template(it->second.zh_CN, f.evidence);
    if (!en) FAIL_CHECK("en: " << en.error().message);
    if (!zh) FAIL_CHECK("zh-CN: " << zh.error().message);
    // A reader's English rendering is the agent's.
    std::string en_again = catalog::render_summary(f.check, f.summary_key, f.evidence,
                                                   i18n::Language::en, "<fallback>");
    CHECK(en_again == f.summary);
    CHECK(f.summary.find("evidence has no field") == std::string::npos);
    CHECK(f.summary.find("catalogue has no summary") == std::string::npos);
    CHECK(f.summary.find("not in the check catalogue") == std::string::npos);
    CHECK(!f.summary.empty());
    std::string zh_text = catalog::render_summary(f.check, f.summary_key, f.evidence,
                                                  i18n::Language::zh_CN, "<fallback>");
    INFO("zh-CN: " << zh_text);
    CHECK(!zh_text.empty());
    CHECK(zh_text != "<fallback>");
    CHECK(zh_text != f.summary);
    CHECK(has_cjk(zh_text));
    CHECK(zh_text.find_first_of("{}") == std::string::npos);
    CHECK(f.summary.find_first_of("{}") == std::string::npos);
  }
}

TEST_CASE("catalogue: every finding names a known check and a sane status and severity") {
  for (const auto& f : all_findings()) {
    INFO(f.check << "/" << f.summary_key << " " << to_string(f.status) << "/"
                 << to_string(f.severity));
    REQUIRE(catalog::find(f.check) != nullptr);
    CHECK(parse_status(to_string(f.status)) == f.status);
    CHECK(parse_severity(to_string(f.severity)) == f.severity);
    switch (f.status) {
      case Status::pass:
        CHECK(f.severity <= Severity::low);
        break;
      case Status::not_applicable:
        CHECK(f.severity == Severity::info);
        break;
      case Status::fail:
      case Status::error:
        CHECK(f.severity >= Severity::low);
        break;
    }
    if (f.summary_key == catalog::kProbeFailed) CHECK(f.status == Status::error);
    if (f.summary_key == catalog::kDisabledByPolicy) CHECK(f.status == Status::not_applicable);
    CHECK(f.evidence.is_object());
  }
}

TEST_CASE("catalogue: optional parts of summaries follow the evidence (empty strings hide them)") {
  AgentPolicy p;
  auto nodb = clamav();
  nodb.signature_time.reset();
  CHECK(agent::evaluate_antivirus({nodb}, p.antivirus, kNow)[2].summary ==
        "no signature database found in /var/lib/clamav");
  nodb.database_dir.clear();
  auto missing = agent::evaluate_antivirus({nodb}, p.antivirus, kNow)[2];
  CHECK(missing.summary == "no signature database found");
  CHECK(catalog::render_summary(missing.check, missing.summary_key, missing.evidence,
                                i18n::Language::zh_CN, "") == "未找到病毒库");

  auto stick = usb({{"08", "06", "50", "", "usb-storage"}});
  auto anonymous = usb({{"08", "06", "50", "", "usb-storage"}}, "", "");
  CHECK(agent::evaluate_usb({stick}, p, {stick})[0].summary ==
        "unregistered USB storage 0781:5567 serial S1 \"Cruzer Blade\" (blocked)");
  CHECK(agent::evaluate_usb({anonymous, stick}, p)[0].summary ==
        "unregistered USB storage 0781:5567 (no serial) (and 1 more)");
  auto camera = usb({{"06", "01", "01", "", ""}}, "", "");
  CHECK(agent::evaluate_usb({camera}, p)[1].summary ==
        "portable device 0781:5567 (no serial) attached");

  agent::NetworkFacts n;
  n.interfaces = {interface_fact("usb0", "usb_network")};
  CHECK(agent::evaluate_unauthorized_interfaces(n, p.network).summary ==
        "possible private internet exit: USB network adapter usb0");
  n.interfaces[0].driver = "rndis_host";
  CHECK(agent::evaluate_unauthorized_interfaces(n, p.network).summary ==
        "possible private internet exit: USB network adapter usb0 (rndis_host)");

  agent::ScreenLockFacts sl;
  sl.desktop_present = true;
  sl.lock_enabled = true;
  sl.idle_delay_seconds = 300;
  CHECK(agent::evaluate_screen_lock(sl, p.host).summary == "the screen locks after 300 s idle");
}

// ---- (b) the agent modules' check lists come from the catalogue ----

TEST_CASE("catalogue: the agent modules list exactly the catalogue's agent checks") {
  warden::test::TempDir dir;
  agent::ProbeContext ctx;
  ctx.root = dir.path();
  ctx.state_dir = dir.path();
  auto modules = agent::make_check_modules(ctx);
  REQUIRE(!modules.empty());
  std::set<std::string> listed;
  for (const auto& m : modules)
    for (const auto& id : m->check_ids()) {
      INFO("module " << m->name() << " lists " << id);
      const catalog::CheckEntry* e = catalog::find(id);
      REQUIRE(e != nullptr);
      CHECK(e->evaluated_by == "agent");
      CHECK(listed.insert(id).second);  // listed by one module only
    }
  std::set<std::string> agent_checks;
  for (const auto& e : catalog::checks())
    if (e.evaluated_by == "agent") agent_checks.insert(e.id);
  for (const auto& id : agent_checks) {
    INFO("agent check no module lists: " << id);
    CHECK(listed.count(id) == 1);
  }
  CHECK(listed == agent_checks);
}

// ---- (c) every entry is complete ----

TEST_CASE("catalogue: every entry is complete and its templates use declared evidence") {
  const std::set<std::string> domains = {"antivirus", "patches", "network", "usb", "hygiene"};
  const std::set<std::string> platforms = {"linux", "windows"};
  const std::set<std::string> shared_fields = {"error", "module"};  // probe_failed evidence
  const std::regex clause(R"(^8\.1\.\d+(\.\d+)*$)");
  REQUIRE(!catalog::checks().empty());
  std::set<std::string> ids;
  for (const auto& e : catalog::checks()) {
    INFO("check " << e.id);
    CHECK(ids.insert(e.id).second);
    CHECK(std::regex_match(e.id, std::regex(R"(^(av|patch|net|usb|host|auth)\.[a-z_]+$)")));
    CHECK(domains.count(e.domain) == 1);
    CHECK((e.evaluated_by == "agent" || e.evaluated_by == "collector"));
    CHECK(!e.platforms.empty());
    for (const auto& p : e.platforms) CHECK(platforms.count(p) == 1);
    CHECK(parse_severity(to_string(e.severity)) == e.severity);
    for (const catalog::Text* t : {&e.title, &e.rule, &e.standard, &e.remediation}) {
      CHECK(!t->en.empty());
      CHECK(!t->zh_CN.empty());
      CHECK(has_cjk(t->zh_CN));
    }
    CHECK(std::regex_match(e.standard_clause, clause));
    CHECK(catalog::find(e.id) == &e);
    CHECK(catalog::title(e.id, i18n::Language::zh_CN) == e.title.zh_CN);
    CHECK(e.summaries.count(catalog::kProbeFailed) == 1);
    CHECK(e.summaries.count(catalog::kDisabledByPolicy) == 1);
    for (const auto& [variant, t] : e.summaries) {
      INFO("variant " << variant << "\n en: " << t.en << "\n zh-CN: " << t.zh_CN);
      auto en_fields = template_fields(t.en);
      auto zh_fields = template_fields(t.zh_CN);
      CHECK(malformed(t.en) == "");
      CHECK(malformed(t.zh_CN) == "");
      // A translator dropping or adding a field is a defect.
      CHECK(en_fields == zh_fields);
      for (const auto& field : en_fields) {
        bool declared = false;
        if (is_shared_variant(variant)) declared = shared_fields.count(field) == 1;
        for (const auto& ev : e.evidence) declared |= field == ev || field.rfind(ev + ".", 0) == 0;
        INFO("template field not in the entry's evidence list: " << field);
        CHECK(declared);
      }
      // Both templates are well-formed: over empty evidence they render or name a field.
      for (const std::string* s : {&t.en, &t.zh_CN}) {
        auto r = catalog::render_template(*s, json::object());
        if (!r) CHECK(r.error().message.find("evidence has no field") != std::string::npos);
      }
    }
  }
  // check_ids() partitions the catalogue by (domain, evaluated_by).
  size_t n = 0;
  for (const auto& d : domains)
    for (const char* by : {"agent", "collector"}) n += catalog::check_ids(d, by).size();
  CHECK(n == catalog::checks().size());
}

// ---- (d) the docs name exactly the catalogue's checks ----

TEST_CASE("catalogue: docs/checks.md and docs/checks/*.md name every check and no other") {
  // Backticked names in the docs that look like check IDs but are not checks: facts, events and
  // policy keys.
  const std::set<std::string> not_checks = {
      "net.interfaces",                    // docs/checks.md: "(facts: `net.interfaces`)"
      "net.changed",                       // network event
      "usb.attached",                      // USB events
      "usb.detached",                      //
      "usb.allowed_storage",               // policy keys
      "usb.allow_portable_devices",        //
      "host.allow_shared_folders",         //
      "host.password_max_age_days",        //
      "host.screen_lock_max_idle_seconds"  //
  };
  const std::filesystem::path docs = std::filesystem::path(WARDEN_SOURCE_DIR) / "docs";
  std::vector<std::filesystem::path> files = {docs / "checks.md"};
  for (const auto& f : std::filesystem::directory_iterator(docs / "checks"))
    if (f.path().extension() == ".md") files.push_back(f.path());
  REQUIRE(files.size() > 1);

  const std::regex id(R"(`((av|patch|net|usb|host|auth)\.[a-z_]+)`)");
  std::set<std::string> in_index, in_pages;
  for (const auto& file : files) {
    std::string text = read_text(file);
    REQUIRE(!text.empty());
    for (std::sregex_iterator it(text.begin(), text.end(), id), end; it != end; ++it) {
      std::string name = (*it)[1];
      if (not_checks.count(name)) continue;
      INFO(file.filename().string() << " names `" << name << "`, which is not in the catalogue");
      CHECK(catalog::find(name) != nullptr);
      (file.filename() == "checks.md" && file.parent_path() == docs ? in_index : in_pages)
          .insert(name);
    }
  }
  for (const auto& e : catalog::checks()) {
    INFO("check " << e.id);
    CHECK(in_index.count(e.id) == 1);  // docs/checks.md
    CHECK(in_pages.count(e.id) == 1);  // a page under docs/checks/
  }
}

// ---- (e) the template renderer ----

TEST_CASE("render_template: fields, paths and value kinds") {
  json ev = {{"name", "ClamAV"},
             {"n", 3},
             {"neg", -2},
             {"big", 18446744073709551615ull},
             {"ratio", 0.5},
             {"yes", true},
             {"no", false},
             {"list", {"a", "b", 3}},
             {"empty", json::array()},
             {"nothing", nullptr},
             {"found", {{{"interface", "wlan0"}, {"driver", "iwlwifi"}}, {{"interface", "usb0"}}}},
             {"ledger", {{"mac", "aa:bb"}, {"ip", "10.0.0.1"}}}};
  auto r = [&](const std::string& t) {
    auto x = catalog::render_template(t, ev);
    INFO(t << " -> " << (x ? x.value() : "error: " + x.error().message));
    REQUIRE(x);
    return x.value();
  };
  CHECK(r("") == "");
  CHECK(r("plain text") == "plain text");
  CHECK(r("{name} is running") == "ClamAV is running");
  CHECK(r("{n} {neg} {big}") == "3 -2 18446744073709551615");
  CHECK(r("{ratio}") == "0.5");
  CHECK(r("{yes}/{no}") == "true/false");
  CHECK(r("[{list}]") == "[a, b, 3]");
  CHECK(r("[{empty}][{nothing}]") == "[][]");
  CHECK(r("{ledger.mac} {ledger.ip}") == "aa:bb 10.0.0.1");
  CHECK(r("{found.0.interface},{found.1.interface}") == "wlan0,usb0");
  CHECK(r("{list.2}") == "3");
  CHECK(r("{found.0}").find("wlan0") != std::string::npos);  // an object: as JSON
  CHECK(r("病毒库 {name}（{n} 天）") == "病毒库 ClamAV（3 天）");
}

TEST_CASE("render_template: conditional groups") {
  json ev = {{"more", 2},
             {"zero", 0},
             {"name", "x"},
             {"blank", ""},
             {"yes", true},
             {"no", false},
             {"list", json::array({1})},
             {"empty", json::array()},
             {"found", {{{"interface", "usb0"}, {"driver", "rndis_host"}}, {{"interface", "w"}}}}};
  auto r = [&](const std::string& t) {
    auto x = catalog::render_template(t, ev);
    INFO(t << " -> " << (x ? x.value() : "error: " + x.error().message));
    REQUIRE(x);
    return x.value();
  };
  CHECK(r("a{more? (and {more} more)}") == "a (and 2 more)");
  CHECK(r("a{zero? (and {zero} more)}") == "a");
  CHECK(r("a{!zero? none}") == "a none");
  CHECK(r("a{!more? none}") == "a");
  CHECK(r("{blank?x}{!blank?y}") == "y");
  CHECK(r("{yes?Y}{no?N}{!no?n}") == "Yn");
  CHECK(r("{list?L}{empty?E}{!empty?e}") == "Le");
  CHECK(r("{absent?A}{!absent?a}") == "a");
  CHECK(r("{found.0.driver? ({found.0.driver})}") == " (rndis_host)");
  CHECK(r("{found.1.driver? ({found.1.driver})}") == "");
  // Nested groups.
  CHECK(r("{more?m{name?n{yes?y}}}") == "mny");
  CHECK(r("{more?m{no?n{yes?y}}}") == "m");
  // A missing field inside a group not shown does not matter, nested or not.
  CHECK(r("{absent? {absent.deeper} {missing}}") == "");
  CHECK(r("{!more?{missing}}") == "");
  CHECK(r("{zero?{more?{missing}}}") == "");
  // Nested groups may end together.
  CHECK(r("{more?{name?n}}") == "n");
  CHECK(r("{more?{name?{yes?Y}}}!") == "Y!");
  CHECK(r("{zero?{name?n}}.") == ".");
  // Escapes (outside groups; inside one '}' closes it).
  CHECK(r("{{literal}}") == "{literal}");
  CHECK(r("{{{name}}}") == "{x}");
  CHECK(r("}}{more?{more}}{{") == "}2{");
  // The test's own well-formedness check agrees on these.
  for (const char* t : {"a{more? (and {more} more)}", "{more?{name?{yes?Y}}}!", "{{{name}}}",
                        "{found.0.driver? ({found.0.driver})}", "{!zero? none}"})
    CHECK(malformed(t) == "");
  for (const char* t : {"{", "}", "{x?abc", "{x?{}}", "{!x}", "{a b}", "{x?{y}"})
    CHECK(malformed(t) != "");
}

TEST_CASE("render_template: errors name the field or the defect, and never throw") {
  json ev = {{"more", 1}, {"name", "x"}};
  auto err = [&](const std::string& t) {
    Result<std::string> x = std::string();
    REQUIRE_NOTHROW(x = catalog::render_template(t, ev));
    INFO(t << " -> " << (x ? "rendered: " + x.value() : x.error().message));
    REQUIRE(!x);
    CHECK(x.error().kind == ErrorKind::invalid);
    return x.error().message;
  };
  CHECK(err("{missing}").find("\"missing\"") != std::string::npos);
  CHECK(err("a {ledger.mac}").find("ledger.mac") != std::string::npos);
  CHECK(err("{more? and {missing} more}").find("missing") != std::string::npos);
  CHECK(err("{more?{name?{gone}}}").find("gone") != std::string::npos);
  CHECK(err("{").find("unterminated") != std::string::npos);
  CHECK(err("}").find("unmatched") != std::string::npos);
  CHECK(err("a } b").find("unmatched") != std::string::npos);
  CHECK(err("{x?abc").find("unterminated") != std::string::npos);
  CHECK(err("{more?abc").find("unterminated") != std::string::npos);
  CHECK(err("{more?{name}").find("unterminated") != std::string::npos);
  CHECK(err("{name").find("unterminated") != std::string::npos);
  CHECK(!err("{}").empty());
  CHECK(!err("{?x}").empty());
  CHECK(!err("{!name}").empty());
  CHECK(!err("{!}").empty());
}

TEST_CASE("render_summary: falls back for unknown checks, variants and fields") {
  json ev = {{"name", "ClamAV"}};
  using i18n::Language;
  CHECK(catalog::render_summary("av.running", "running", ev, Language::en, "fb") ==
        "ClamAV is running");
  CHECK(catalog::render_summary("av.running", "running", ev, Language::zh_CN, "fb") ==
        "ClamAV 正在运行");
  CHECK(catalog::render_summary("av.nonesuch", "running", ev, Language::en, "fb") == "fb");
  CHECK(catalog::render_summary("", "running", ev, Language::en, "fb") == "fb");
  CHECK(catalog::render_summary("av.running", "nonesuch", ev, Language::en, "fb") == "fb");
  CHECK(catalog::render_summary("av.running", "", ev, Language::zh_CN, "fb") == "fb");
  CHECK(catalog::render_summary("av.running", "not_answering", ev, Language::en, "fb") == "fb");
  CHECK(catalog::render_summary("av.running", "running", json::object(), Language::zh_CN,
                                "old words") == "old words");
  CHECK(catalog::render_summary("av.running", "running", json::array(), Language::en, "fb") ==
        "fb");
  // Shared variants belong to every check.
  CHECK(catalog::render_summary("host.firewall", catalog::kProbeFailed, {{"error", "boom"}},
                                Language::en, "fb") == "could not check: boom");
  CHECK(catalog::render_summary("host.firewall", catalog::kDisabledByPolicy, json::object(),
                                Language::zh_CN, "fb") == "已被策略停用");
  // make_finding reports a missing variant or field in the summary itself.
  auto f = make_finding("av.running", Status::pass, Severity::info, "nonesuch");
  CHECK(f.summary.find("catalogue has no summary") != std::string::npos);
  CHECK(f.summary_key == "nonesuch");
  auto g = make_finding("av.running", Status::pass, Severity::info, "running");
  CHECK(g.summary.find("evidence has no field") != std::string::npos);
  CHECK(catalog::title("av.nonesuch", Language::zh_CN) == "av.nonesuch");
}

// ---- (f) a random walk over template syntax ----

TEST_CASE("render_template: random templates render or fail cleanly") {
  const std::string alphabet = "{}?!ab.0 ";
  json ev = {{"a", "A"}, {"b", {{"0", "B0"}, {"a", json::array({"x", 0})}}}, {"0", true}};
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<size_t> len(0, 24), pick(0, alphabet.size() - 1);
  int ok = 0, invalid = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string t;
    for (size_t n = len(rng); n > 0; --n) t += alphabet[pick(rng)];
    INFO("template: " << t);
    Result<std::string> r = std::string();
    REQUIRE_NOTHROW(r = catalog::render_template(t, ev));
    if (r) {
      ++ok;
      // Without braces in the template the text is the template itself.
      if (t.find_first_of("{}") == std::string::npos) CHECK(r.value() == t);
    } else {
      ++invalid;
      CHECK(r.error().kind == ErrorKind::invalid);
      CHECK(!r.error().message.empty());
    }
  }
  CHECK(ok > 0);
  CHECK(invalid > 0);
}

TEST_CASE("a summary rendered from an agent's evidence is one printable line") {
  // A hostile agent's evidence: an escape sequence and a newline in a USB product name.
  nlohmann::json ev = {{"devices",
                        {{{"vendor_id", "0781"},
                          {"product_id", "5567"},
                          {"serial", "X\x1b[2J"},
                          {"product", "evil\nline \xe2\x80\xa8two"}}}}};
  for (auto lang : {i18n::Language::en, i18n::Language::zh_CN}) {
    auto s = catalog::render_summary("usb.portable_device", "portable", ev, lang, "");
    INFO(s);
    CHECK(s.find('\x1b') == std::string::npos);
    CHECK(s.find('\n') == std::string::npos);
    CHECK(s.find("\xe2\x80\xa8") == std::string::npos);
    CHECK(s.find("0781:5567") != std::string::npos);
  }
  // The fallback (an old agent's own summary) is cleaned the same way, and bounded.
  auto f = catalog::render_summary("usb.portable_device", "", ev, i18n::Language::en,
                                   std::string(2000, 'a') + "\x1b");
  CHECK(f.size() <= catalog::kMaxSummaryBytes);
  CHECK(f.find('\x1b') == std::string::npos);
}
