// Enrollment against a real collector: tokens, pinning, identity files.
#include <catch2/catch.hpp>

#include <thread>

#include "common/files.hpp"
#include "common/pki.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;

TEST_CASE("an agent enrolls with a valid token and gets its own identity", "[enroll]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a1", collector);
  auto r = agent.enroll(collector.create_token("Finance/Office 1"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  auto cert = pki::inspect_certificate(files::read(agent.state_dir() / "agent.crt"));
  CHECK(cert.subject_cn == agent.agent_id());
  CHECK(cert.subject_ou == "Finance/Office 1");
  CHECK(files::mode_of(agent.state_dir() / "agent.key") == 0600);
  CHECK(pki::fingerprint(files::read(agent.state_dir() / "ca.crt")) == collector.fingerprint());
  CHECK(files::mode_of(collector.data_dir() / "ca.key") == 0600);
  CHECK(files::mode_of(collector.socket()) == 0600);

  auto hosts = collector.ctl_json({"hosts"});
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0]["agent_id"] == agent.agent_id());
  CHECK(hosts[0]["department"] == "Finance/Office 1");
  CHECK(collector.scalar("SELECT count(*) FROM hosts WHERE cert_serial = '" + cert.serial_hex +
                         "'") == 1);

  // Enrolling again without --force is refused and leaves the identity alone.
  auto again = agent.enroll(collector.create_token("Finance"));
  CHECK(again.exit_code != 0);
  CHECK(again.err.find("already enrolled") != std::string::npos);
}

TEST_CASE("bad, expired, used-up and revoked tokens are refused with a reason", "[enroll]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::string good = collector.create_token("Finance", "1h", 1);

  SECTION("malformed") {
    AgentProcess agent(dir / "a", collector);
    auto r = agent.enroll("not-a-token");
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("malformed") != std::string::npos);
  }
  SECTION("wrong secret") {
    AgentProcess agent(dir / "a", collector);
    std::string forged = good.substr(0, good.find('.') + 1) + std::string(43, 'A');
    auto r = agent.enroll(forged);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("not valid") != std::string::npos);
  }
  SECTION("used up") {
    AgentProcess first(dir / "a", collector), second(dir / "b", collector);
    REQUIRE(first.enroll(good).exit_code == 0);
    auto r = second.enroll(good);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("used up") != std::string::npos);
    auto tokens = collector.ctl_json({"token", "list"});
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0]["uses"] == 1);
  }
  SECTION("expired") {
    std::string short_lived = collector.create_token("Finance", "1s", 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    AgentProcess agent(dir / "a", collector);
    auto r = agent.enroll(short_lived);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("expired") != std::string::npos);
  }
  SECTION("revoked") {
    auto id = good.substr(0, good.find('.'));
    REQUIRE(collector.ctl({"token", "revoke", id}).exit_code == 0);
    AgentProcess agent(dir / "a", collector);
    auto r = agent.enroll(good);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("revoked") != std::string::npos);
  }
  CHECK(collector.scalar("SELECT count(*) FROM hosts") <= 1);
}

TEST_CASE("enrollment refuses a collector whose CA does not match the pinned fingerprint",
          "[enroll]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  auto other = pki::create_ca("impostor", std::chrono::days(1));
  auto r = agent.enroll(collector.create_token("Finance"), pki::fingerprint(other.certificate_pem));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("does not match the fingerprint") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(agent.state_dir() / "agent.crt"));
  // The token was never sent, so it is still unused.
  CHECK(collector.ctl_json({"token", "list"})[0]["uses"] == 0);
}

TEST_CASE("repeated failed enrollments from one address are throttled", "[enroll]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::string good = collector.create_token("Finance");
  std::string forged = good.substr(0, good.find('.') + 1) + std::string(43, 'B');
  AgentProcess agent(dir / "a", collector);
  for (int i = 0; i < 5; ++i) CHECK(agent.enroll(forged).exit_code != 0);
  auto r = agent.enroll(good);  // even the right token waits out the penalty
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("too many failed enrollments") != std::string::npos);
}
