// Agents renew their certificates before expiry over their own session, with no admin work; the
// old certificate works until the new one is first used, and is refused from then on.
#include <catch2/catch.hpp>

#include "common/files.hpp"
#include "common/pki.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
namespace fs = std::filesystem;

TEST_CASE("an agent renews its certificate and the old one stops working", "[renewal]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  auto old_cert = files::read(agent.state_dir() / "agent.crt");
  auto old_key = files::read(agent.state_dir() / "agent.key");
  auto old_serial = pki::inspect_certificate(old_cert).serial_hex;
  fs::create_directories(dir / "old");
  files::write_atomic(dir / "old" / "agent.crt", old_cert, 0644);
  files::write_atomic(dir / "old" / "agent.key", old_key, 0600);

  // Certificates last 397 days: "renew when less than 500 days are left" makes it due now.
  agent.start({"--renew-before", "500d", "--no-startup-sweep"});
  REQUIRE(wait_for([&] { return files::read(agent.state_dir() / "agent.crt") != old_cert; },
                   std::chrono::seconds(30)));
  auto new_cert = files::read(agent.state_dir() / "agent.crt");
  auto info = pki::inspect_certificate(new_cert);
  CHECK(info.subject_cn == agent.agent_id());
  CHECK(info.serial_hex != old_serial);
  CHECK(pki::key_matches_certificate(files::read(agent.state_dir() / "agent.key"), new_cert));
  CHECK(files::mode_of(agent.state_dir() / "agent.key") == 0600);
  CHECK(collector.scalar("SELECT count(*) FROM hosts WHERE next_cert_serial = '" + info.serial_hex +
                         "'") == 1);
  CHECK(collector.scalar("SELECT count(*) FROM audit_log WHERE action = 'certificate.renewed'") ==
        1);

  // The next session uses the new certificate: it becomes the current one.
  agent.stop();
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  CHECK(collector.scalar("SELECT count(*) FROM hosts WHERE cert_serial = '" + info.serial_hex +
                         "' AND next_cert_serial = ''") == 1);
  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["answered"] == 1);
  agent.stop();

  // The old certificate is refused now.
  files::write_atomic(agent.state_dir() / "agent.crt", old_cert, 0644);
  files::write_atomic(agent.state_dir() / "agent.key", old_key, 0600);
  auto replies = agent.speak({});
  CHECK(replies.empty());
  CHECK(collector.log().find("certificate serial " + old_serial + " is not the current one") !=
        std::string::npos);
}

// [any-backend]: the server certificate in the data directory; no database is involved.
TEST_CASE("a collector whose server certificate was moved away issues a new one agents accept",
          "[any-backend][renewal]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  auto old_server = files::read(collector.data_dir() / "server.crt");
  auto fingerprint = collector.fingerprint();

  // The documented renewal: stop, move server.crt and server.key aside, start.
  collector.stop();
  fs::rename(collector.data_dir() / "server.crt", dir / "server.crt.old");
  fs::rename(collector.data_dir() / "server.key", dir / "server.key.old");
  fs::remove(collector.socket());
  collector.start();
  auto new_server = files::read(collector.data_dir() / "server.crt");
  CHECK(new_server != old_server);
  CHECK(pki::inspect_certificate(new_server).serial_hex !=
        pki::inspect_certificate(old_server).serial_hex);
  CHECK(files::mode_of(collector.data_dir() / "server.key") == 0600);
  CHECK(collector.fingerprint() == fingerprint);  // same CA: nothing to do on the agents

  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["answered"] == 1);
}
