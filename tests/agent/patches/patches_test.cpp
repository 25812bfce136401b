// Patches through libapt-pkg: against this machine's real package state (the counts must equal
// `apt-get -s upgrade`), and against a fixture archive built here (libapt-pkg's Dir::* settings
// pointed at it).
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "agent/patches/patch_checks.hpp"
#include "agent/patches/patch_probe.hpp"
#include "agent/patches/pending_since.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {

std::string installed(const std::string& name, const std::string& version,
                      const std::string& status = "install ok installed") {
  return "Package: " + name + "\nStatus: " + status +
         "\nPriority: optional\nSection: misc\nMaintainer: Test <t@example.org>\n"
         "Architecture: amd64\nVersion: " +
         version + "\nDescription: test package\n\n";
}

std::string available(const std::string& name, const std::string& version) {
  return "Package: " + name + "\nVersion: " + version +
         "\nArchitecture: amd64\nMaintainer: Test <t@example.org>\n"
         "Filename: pool/main/" +
         name + "_" + version + "_amd64.deb\nSize: 1000\nDescription: test package\n\n";
}

// A root with dpkg status, a mirror (foo, baz, qux) and a security archive (bar).
AptOptions fixture(const fs::path& root) {
  write_file(root / "var/lib/dpkg/status",
             installed("foo", "1.0") + installed("bar", "1.0") +
                 installed("baz", "2.0", "hold ok installed") +
                 installed("linux-image-6.1.0-27-amd64", "6.1.115-1") +
                 installed("linux-image-6.1.0-28-amd64", "6.1.119-1"));
  write_file(root / "etc/apt/sources.list",
             "deb [trusted=yes] http://mirror.test/debian bookworm main\n"
             "deb [trusted=yes] http://security.test/debian-security bookworm-security main\n");
  fs::create_directories(root / "etc/apt/sources.list.d");
  fs::create_directories(root / "etc/apt/preferences.d");
  fs::path lists = root / "var/lib/apt/lists";
  write_file(lists / "mirror.test_debian_dists_bookworm_Release",
             "Origin: Debian\nLabel: Debian\nSuite: bookworm\nCodename: bookworm\nArchitectures: "
             "amd64\nComponents: main\n");
  write_file(lists / "mirror.test_debian_dists_bookworm_main_binary-amd64_Packages",
             available("foo", "1.1") + available("baz", "2.1") + available("qux", "1.0"));
  write_file(lists / "security.test_debian-security_dists_bookworm-security_Release",
             "Origin: Debian\nLabel: Debian-Security\nSuite: bookworm-security\nCodename: "
             "bookworm-security\nArchitectures: amd64\nComponents: main\n");
  write_file(
      lists / "security.test_debian-security_dists_bookworm-security_main_binary-amd64_Packages",
      available("bar", "1.0+deb12u1"));
  fs::create_directories(root / "var/cache/apt");
  AptOptions o;
  o.config = {{"Dir::State::status", (root / "var/lib/dpkg/status").string()},
              {"Dir::State::lists", lists.string()},
              {"Dir::State::extended_states", (root / "var/lib/apt/extended_states").string()},
              {"Dir::Etc::sourcelist", (root / "etc/apt/sources.list").string()},
              {"Dir::Etc::sourceparts", (root / "etc/apt/sources.list.d").string()},
              {"Dir::Etc::preferences", (root / "etc/apt/preferences").string()},
              {"Dir::Etc::preferencesparts", (root / "etc/apt/preferences.d").string()},
              {"Dir::Cache", (root / "var/cache/apt").string()},
              {"Dir::Cache::pkgcache", ""},
              {"Dir::Cache::srcpkgcache", ""},
              {"APT::Architecture", "amd64"},
              {"APT::Architectures", "amd64"}};
  o.running_kernel = "6.1.0-27-amd64";
  return o;
}

Status status_of(const std::vector<Finding>& f, const std::string& id) {
  for (const auto& x : f)
    if (x.check == id) return x.status;
  return Status::error;
}

}  // namespace

TEST_CASE("counts equal apt-get -s upgrade on this machine") {
  auto apt = run({"apt-get", "-s", "upgrade"}, {{"LC_ALL", "C"}});
  REQUIRE(apt.exit_code == 0);
  std::smatch m;
  std::regex summary(
      R"((\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded)");
  REQUIRE(std::regex_search(apt.out, m, summary));
  size_t security_lines = 0;
  std::regex inst(R"(^Inst .*\[[^\]]*\] \(.*-security)");
  std::istringstream in(apt.out);
  for (std::string line; std::getline(in, line);) security_lines += std::regex_search(line, inst);

  ProbeContext ctx;
  DebianPatchProbe probe(ctx);
  auto f = probe.collect(PatchPolicy{});
  CHECK(f.upgrade_now == std::stoul(m[1]));
  CHECK(f.not_upgraded == std::stoul(m[4]));
  CHECK(f.pending >= f.upgrade_now);
  CHECK(f.pending_security == security_lines);
  CHECK(f.installed > 100);
}

TEST_CASE("a fixture archive: pending, security, held, kernels") {
  TempDir t;
  ProbeContext ctx;
  ctx.root = t.path();
  DebianPatchProbe probe(ctx, fixture(t.path()));
  auto f = probe.collect(PatchPolicy{});
  CHECK(f.installed == 5);
  CHECK(f.pending == 3);      // foo, bar, baz
  CHECK(f.upgrade_now == 2);  // baz is held
  CHECK(f.not_upgraded == 1);
  CHECK(f.pending_security == 1);
  REQUIRE(f.held.size() == 1);
  CHECK(f.held[0] == "baz");
  for (const auto& u : f.upgrades) {
    if (u.name == "bar") {
      CHECK(u.security);
      CHECK(u.candidate == "1.0+deb12u1");
      CHECK(u.label == "Debian-Security");
      CHECK(u.archive == "bookworm-security");
    }
    if (u.name == "foo") CHECK_FALSE(u.security);
  }
  CHECK(f.newest_kernel == "6.1.0-28-amd64");
  CHECK(f.reboot_required);

  // Kylin-style: no -security suite; the admin names the mirror's label instead.
  PatchPolicy kylin;
  kylin.security_origins = {"Debian"};
  kylin.security_suite_patterns = {};
  CHECK(probe.collect(kylin).pending_security == 3);
  // UOS-style: a sources file marks the security source.
  write_file(t / "etc/apt/sources.list.d/security.list",
             "deb [trusted=yes] http://mirror.test/debian bookworm main\n");
  PatchPolicy uos;
  uos.security_origins = {};
  uos.security_suite_patterns = {};
  uos.security_source_files = {"/etc/apt/sources.list.d/security.list"};
  CHECK(probe.collect(uos).pending_security == 2);  // foo and baz come from that source
}

TEST_CASE("evaluation: grace days, stale lists, reboot") {
  PatchFacts f;
  int64_t now = 1800000000;
  PendingUpgrade bar{
      "bar", "1.0", "1.0+deb12u1", "Debian",       "Debian-Security", "bookworm-security",
      true,  false, true,          now - 3 * 86400};
  f.upgrades = {bar};
  f.pending = f.pending_security = 1;
  f.lists_time = now - 86400;
  PatchPolicy p;
  auto r = evaluate_patches(f, p, now);
  CHECK(status_of(r, "patch.security_updates") == Status::pass);
  f.upgrades[0].first_seen = now - 10 * 86400;
  r = evaluate_patches(f, p, now);
  CHECK(status_of(r, "patch.security_updates") == Status::fail);
  CHECK(r[0].evidence["overdue"][0]["pending_days"] == 10);
  f.lists_time = now - 30 * 86400;
  CHECK(status_of(evaluate_patches(f, p, now), "patch.updates_recent") == Status::fail);
  f.reboot_required = true;
  CHECK(status_of(evaluate_patches(f, p, now), "patch.reboot_pending") == Status::fail);
}

TEST_CASE("first sightings survive between sweeps and forget what is no longer pending") {
  TempDir t;
  auto file = t / "pending.json";
  std::vector<PendingUpgrade> a = {{"bar", "1", "2", "", "", "", true, false, true, 0}};
  apply_first_seen(a, file, 1000);
  CHECK(a[0].first_seen == 1000);
  apply_first_seen(a, file, 5000);
  CHECK(a[0].first_seen == 1000);
  std::vector<PendingUpgrade> b = {{"foo", "1", "2", "", "", "", false, false, true, 0}};
  apply_first_seen(b, file, 6000);
  apply_first_seen(a, file, 7000);
  CHECK(a[0].first_seen == 7000);  // bar had dropped out, so it is new again
}
