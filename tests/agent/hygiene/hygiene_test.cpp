// Host hygiene against fixture roots (never the real /etc/shadow), and the live nftables ruleset
// inside a network namespace the test creates.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "agent/hygiene/account_facts.hpp"
#include "agent/hygiene/firewall_facts.hpp"
#include "agent/hygiene/hygiene_checks.hpp"
#include "agent/hygiene/screen_lock_facts.hpp"
#include "agent/hygiene/share_facts.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {}  // namespace

TEST_CASE("firewall from ufw, firewalld or nothing") {
  TempDir t;
  HostPolicy p;
  CHECK(evaluate_firewall(read_firewall_facts(t.path()), p).status == Status::fail);
  write_file(t / "etc/ufw/ufw.conf", "# comment\nENABLED=no\nLOGLEVEL=low\n");
  CHECK(evaluate_firewall(read_firewall_facts(t.path()), p).status == Status::fail);
  write_file(t / "etc/ufw/ufw.conf", "ENABLED=yes\n");
  CHECK(evaluate_firewall(read_firewall_facts(t.path()), p).summary == "ufw is enabled");
  TempDir t2;
  write_file(t2 / "etc/systemd/system/multi-user.target.wants/firewalld.service", "");
  CHECK(evaluate_firewall(read_firewall_facts(t2.path()), p).summary == "firewalld is enabled");
}

TEST_CASE("screen lock: GNOME defaults, system-wide overrides, UKUI minutes, locks") {
  TempDir t;
  HostPolicy p;  // 600 s
  CHECK(evaluate_screen_lock(read_screen_lock_facts(t.path()), p).status == Status::not_applicable);
  write_file(t / "usr/share/glib-2.0/schemas/org.gnome.desktop.session.gschema.xml",
             "<schemalist/>");
  CHECK(evaluate_screen_lock(read_screen_lock_facts(t.path()), p).status ==
        Status::pass);  // 300 s default
  write_file(t / "etc/dconf/db/local.d/00-security",
             "[org/gnome/desktop/session]\nidle-delay=uint32 1800\n");
  auto f = evaluate_screen_lock(read_screen_lock_facts(t.path()), p);
  CHECK(f.status == Status::fail);
  CHECK(f.summary.find("1800 s") != std::string::npos);
  write_file(t / "etc/dconf/db/local.d/00-security",
             "[org/gnome/desktop/session]\nidle-delay=uint32 "
             "300\n[org/gnome/desktop/screensaver]\nlock-enabled=false\n");
  CHECK(evaluate_screen_lock(read_screen_lock_facts(t.path()), p).summary ==
        "the screen does not lock when idle");
  write_file(t / "etc/dconf/db/local.d/00-security",
             "[org/gnome/desktop/session]\nidle-delay=uint32 "
             "300\n[org/gnome/desktop/screensaver]\nlock-enabled=true\n");
  write_file(
      t / "etc/dconf/db/local.d/locks/security",
      "/org/gnome/desktop/session/idle-delay\n/org/gnome/desktop/screensaver/lock-enabled\n");
  CHECK(
      evaluate_screen_lock(read_screen_lock_facts(t.path()), p).summary.find("locked for users") !=
      std::string::npos);
  TempDir k;  // Kylin's UKUI keeps idle-delay in minutes
  write_file(k / "usr/share/glib-2.0/schemas/org.ukui.screensaver.gschema.xml", "<schemalist/>");
  write_file(k / "etc/dconf/db/local.d/01-ukui",
             "[org/ukui/screensaver]\nidle-delay=20\nlock-enabled=true\n");
  auto u = read_screen_lock_facts(k.path());
  CHECK(u.desktop == "ukui");
  CHECK(*u.idle_delay_seconds == 1200);
  CHECK(evaluate_screen_lock(u, p).status == Status::fail);
}

TEST_CASE("shared folders: Samba shares and usershares") {
  TempDir t;
  HostPolicy p;
  write_file(t / "etc/samba/smb.conf",
             "[global]\nworkgroup = OFFICE\n[homes]\nbrowseable = no\n[printers]\n[print$]\n");
  CHECK(evaluate_shares(read_share_facts(t.path()), p).status == Status::pass);
  write_file(t / "etc/samba/smb.conf",
             "[global]\n[finance]\npath = /srv/finance\n[old]\navailable = no\n");
  auto f = evaluate_shares(read_share_facts(t.path()), p);
  CHECK(f.status == Status::fail);
  CHECK(f.summary == "Samba share [finance] is shared");
  write_file(t / "var/lib/samba/usershares/photos", "path=/home/li/photos\n");
  CHECK(evaluate_shares(read_share_facts(t.path()), p).summary.find("and 1 more") !=
        std::string::npos);
  p.allow_shared_folders = true;
  CHECK(evaluate_shares(read_share_facts(t.path()), p).status == Status::pass);
}

TEST_CASE("accounts: password aging and empty passwords from shadow and login.defs") {
  std::string passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
      "li:x:1000:1000:Li:/home/li:/bin/bash\n"
      "wang:x:1001:1001:Wang:/home/wang:/bin/bash\n"
      "guest:x:1002:1002::/home/guest:/bin/bash\n"
      "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  std::string shadow =
      "root:$y$j9T$abc:19700:0:99999:7:::\n"
      "daemon:*:19700:0:99999:7:::\n"
      "li:$y$j9T$def:19700:0:90:7:::\n"
      "wang:$y$j9T$ghi:19700:0:99999:7:::\n"
      "guest::19700:0:90:7:::\n"
      "nobody:*:19700:0:99999:7:::\n";
  auto f = parse_account_facts(passwd, shadow, "UID_MIN 1000\nPASS_MAX_DAYS 90\n");
  HostPolicy p;
  auto age = evaluate_password_age(f, p);
  CHECK(age.status == Status::fail);
  CHECK(age.summary.find("account wang") != std::string::npos);
  CHECK(age.evidence["accounts"].size() ==
        1);  // guest has 90, li has 90; root/daemon are not human
  auto empty = evaluate_empty_passwords(f);
  CHECK(empty.status == Status::fail);
  CHECK(empty.severity == Severity::critical);
  CHECK(empty.evidence["accounts"][0] == "guest");
  auto fixed = parse_account_facts(
      passwd,
      std::string("li:$y$x:1:0:60:7:::\nwang:!$y$x:1:0:99999:7:::\nguest:$y$z:1:0:30:7:::\n"),
      "PASS_MAX_DAYS 60\n");
  CHECK(evaluate_password_age(fixed, p).status == Status::pass);  // wang is locked
  CHECK(evaluate_empty_passwords(fixed).status == Status::pass);
  CHECK(evaluate_password_age(parse_account_facts(passwd, std::nullopt, ""), p).status ==
        Status::error);
}

TEST_CASE("the live nftables ruleset, read with libnftables inside a namespace", "[netns]") {
  std::string ns = "wdn" + std::to_string(getpid()) + "fw";
  REQUIRE(run({"ip", "netns", "add", ns}).exit_code == 0);
  struct Cleanup {
    std::string ns;
    ~Cleanup() { run({"ip", "netns", "del", ns}); }
  } cleanup{ns};
  auto firewall = [&] {
    auto r = run({"ip", "netns", "exec", ns, binary("warden-agent").string(), "check", "--json",
                  "--state-dir", "/nonexistent"});
    REQUIRE(r.exit_code == 0);
    auto out = nlohmann::json::parse(r.out);
    for (const auto& f : out["findings"])
      if (f["check"] == "host.firewall") return f;
    return nlohmann::json();
  };
  auto before = firewall();
  CHECK(before["evidence"]["live_input_chains"] == 0);
  REQUIRE(run({"ip", "netns", "exec", ns, "nft", "add table inet filter"}).exit_code == 0);
  REQUIRE(run({"ip", "netns", "exec", ns, "nft",
               "add chain inet filter input { type filter hook input priority 0 ; policy drop ; }"})
              .exit_code == 0);
  REQUIRE(run({"ip", "netns", "exec", ns, "nft",
               "add rule inet filter input ct state established,related accept"})
              .exit_code == 0);
  auto after = firewall();
  CHECK(after["evidence"]["live_input_chains"] == 1);
  CHECK(after["evidence"]["live_rules"].get<int>() >= 1);
}
