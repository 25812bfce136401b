// A real clamd (Debian's clamav-daemon) with its own config, socket and database directory.
// clamd loads a small custom signature file (.ndb): ClamAV's official CVD/CLD files are signed
// and cannot be made here without the internet. The signature dates the probe reads come from
// CVD/CLD headers written into the directory the probe's clamd.conf names.
#include <signal.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "agent/antivirus/antivirus_checks.hpp"
#include "agent/antivirus/antivirus_probe.hpp"
#include "agent/antivirus/clamd_client.hpp"
#include "common/files.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {

bool have_clamd() {
  return fs::exists("/usr/sbin/clamd");
}

struct Clamd {
  TempDir dir;
  fs::path sock = dir / "clamd.sock";
  std::unique_ptr<Process> proc;
  explicit Clamd(bool with_database) {
    fs::create_directories(dir / "db");
    if (with_database)
      std::ofstream(dir / "db/warden-test.ndb")
          << "Warden.Test.Signature:0:*:57415244454e2d544553542d5349474e4154555245\n";
    std::ofstream(dir / "clamd.conf")
        << "LocalSocket " << sock.string() << "\nDatabaseDirectory " << (dir / "db").string()
        << "\nForeground yes\nUser root\nLogFile " << (dir / "clamd.log").string() << "\n";
    proc = std::make_unique<Process>(
        std::vector<std::string>{"/usr/sbin/clamd",
                                 "--config-file=" + (dir / "clamd.conf").string()},
        dir / "out.log");
  }
  bool answering() {
    return wait_for([&] { return clamd_version(sock.string()).has_value() || !proc->running(); },
                    std::chrono::seconds(60)) &&
           proc->running();
  }
};

// A fixture root: dpkg says clamav-daemon is installed, clamd.conf points at the real socket
// and at a database directory holding headers of the given age (none if age_days < 0).
fs::path fixture(const TempDir& t, const fs::path& sock, int age_days) {
  fs::path root = t / "root";
  fs::create_directories(root / "var/lib/dpkg");
  fs::create_directories(root / "etc/clamav");
  fs::create_directories(root / "var/lib/clamav");
  std::ofstream(root / "var/lib/dpkg/status")
      << "Package: clamav-daemon\nStatus: install ok installed\nVersion: 1.4.6\n";
  std::ofstream(root / "etc/clamav/clamd.conf")
      << "LocalSocket " << sock.string() << "\nDatabaseDirectory /var/lib/clamav\n";
  if (age_days >= 0) {
    int64_t t0 = std::time(nullptr) - static_cast<int64_t>(age_days) * 86400;
    char head[512];
    std::snprintf(head, sizeof head,
                  "ClamAV-VDB:01 Jan 2026 00-00 +0000:27%03d:2000000:90:md5:sig:warden:%lld",
                  age_days, static_cast<long long>(t0));
    std::string padded(head);
    padded.resize(512, ' ');
    std::ofstream(root / "var/lib/clamav/daily.cld") << padded;
    std::ofstream(root / "var/lib/clamav/main.cvd") << padded;
  }
  return root;
}

std::vector<Finding> probe(const fs::path& root) {
  ProbeContext ctx;
  ctx.root = root;
  auto catalog = load_catalog(nlohmann::json::parse(files::read(std::string(WARDEN_SOURCE_DIR) +
                                                                "/deploy/antivirus-catalog.json")),
                              {});
  LinuxAntivirusProbe p(ctx);
  auto facts = p.collect(catalog);
  return evaluate_antivirus(facts, AntivirusPolicy{}, std::time(nullptr));
}

Status status_of(const std::vector<Finding>& f, const std::string& id) {
  for (const auto& x : f)
    if (x.check == id) return x.status;
  return Status::error;
}

}  // namespace

TEST_CASE("clamd without any database refuses to start, and the probe says so", "[clamd]") {
  if (!have_clamd()) {
    WARN("clamd is not installed: run deploy/install-deps.sh");
    return;
  }
  Clamd clamd(false);
  CHECK_FALSE(clamd.answering());
  CHECK(clamd.proc->stop() != 0);
  TempDir t;
  auto f = probe(fixture(t, clamd.sock, -1));
  CHECK(status_of(f, "av.installed") == Status::pass);
  CHECK(status_of(f, "av.signatures_fresh") == Status::fail);
}

TEST_CASE("a real clamd: fresh, stale, then stopped", "[clamd]") {
  if (!have_clamd()) {
    WARN("clamd is not installed: run deploy/install-deps.sh");
    return;
  }
  Clamd clamd(true);
  INFO(files::read_if_exists(clamd.dir / "clamd.log").value_or(""));
  REQUIRE(clamd.answering());
  CHECK(clamd_version(clamd.sock.string())->rfind("ClamAV ", 0) == 0);

  TempDir fresh_dir;
  auto fresh = probe(fixture(fresh_dir, clamd.sock, 1));
  CHECK(status_of(fresh, "av.installed") == Status::pass);
  CHECK(status_of(fresh, "av.running") == Status::pass);
  CHECK(fresh[1].evidence["daemon_answering"] == true);
  CHECK(status_of(fresh, "av.signatures_fresh") == Status::pass);

  TempDir stale_dir;
  auto stale = probe(fixture(stale_dir, clamd.sock, 30));
  CHECK(status_of(stale, "av.signatures_fresh") == Status::fail);
  CHECK(stale[2].evidence["age_days"] == 30);

  clamd.proc->stop();
  auto stopped = probe(fixture(fresh_dir, clamd.sock, 1));
  CHECK(status_of(stopped, "av.running") == Status::fail);
}
