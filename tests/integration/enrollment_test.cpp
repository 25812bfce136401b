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

// Expiry is tested on a test clock in tests/collector/store_test.cpp, with no sleeping.
TEST_CASE("bad, used-up and revoked tokens are refused with a reason", "[enroll]") {
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

// [any-backend]: the agent refuses the collector before it enrolls; no database is involved.
TEST_CASE("enrollment refuses a collector whose CA does not match the pinned fingerprint",
          "[any-backend][enroll]") {
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

TEST_CASE("the token comes from a file or standard input, never needing argv",
          "[enroll][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto enroll_with = [&](const std::string& name, const std::vector<std::string>& token_args,
                         const std::string& shell_prefix = "") {
    std::string state = (dir / name).string();
    std::vector<std::string> argv = {binary("warden-agent").string(),
                                     "enroll",
                                     "--collector",
                                     collector.address(),
                                     "--ca-fingerprint",
                                     collector.fingerprint(),
                                     "--state-dir",
                                     state};
    argv.insert(argv.end(), token_args.begin(), token_args.end());
    if (shell_prefix.empty()) return run(argv);
    std::string cmd = shell_prefix;
    for (const auto& a : argv) cmd += " '" + a + "'";
    return run({"sh", "-c", cmd});
  };
  write_file(dir / "token", collector.create_token("Finance") + "\n");
  auto from_file = enroll_with("a1", {"--token-file", (dir / "token").string()});
  INFO(from_file.err);
  CHECK(from_file.exit_code == 0);
  CHECK(from_file.err.find("warning") == std::string::npos);

  write_file(dir / "token2", collector.create_token("Finance"));
  auto from_stdin =
      enroll_with("a2", {"--token-file", "-"}, "exec < '" + (dir / "token2").string() + "';");
  INFO(from_stdin.err);
  CHECK(from_stdin.exit_code == 0);

  auto on_argv = enroll_with("a3", {"--token", collector.create_token("Finance")});
  CHECK(on_argv.exit_code == 0);
  CHECK(on_argv.err.find("--token-file") != std::string::npos);  // warned

  write_file(dir / "empty", "\n");
  auto empty = enroll_with("a4", {"--token-file", (dir / "empty").string()});
  CHECK(empty.exit_code != 0);
  CHECK(empty.err.find("no enrollment token") != std::string::npos);
  auto missing = enroll_with("a5", {"--token-file", (dir / "nope").string()});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("cannot read the token file") != std::string::npos);
  auto neither = enroll_with("a6", {});
  CHECK(neither.exit_code != 0);
  CHECK(collector.ctl_json({"hosts"}).size() == 3);
}

TEST_CASE(
    "hostnames are not identities: duplicates are flagged, renames recorded, ambiguity refused",
    "[enroll][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess first(dir / "a1", collector), second(dir / "a2", collector);
  auto token = collector.create_token("Finance", "1h", 2);
  REQUIRE(first.enroll(token).exit_code == 0);
  CHECK(collector.ctl_json({"events", "--kind", "host"}).empty());
  // The same PC (same hostname and machine-id) enrolled again, as a clone or an impostor would.
  REQUIRE(second.enroll(token).exit_code == 0);
  auto events = collector.ctl_json({"events", "--kind", "host"});
  REQUIRE(events.size() == 1);
  CHECK(events[0]["kind"] == "host.duplicate_identity");
  CHECK(events[0]["agent_id"] == second.agent_id());
  CHECK(events[0]["data"]["matches"][0]["agent_id"] == first.agent_id());
  CHECK(events[0]["data"]["matches"][0]["same_machine_id"] == true);
  auto report = collector.ctl_json(
      {"report", "--from", "2020-01-01", "--to", "2100-01-01", "--format", "json"});
  REQUIRE(report["identity_events"].size() == 1);
  CHECK(report["identity_events"][0]["kind"] == "host.duplicate_identity");

  // Two live hosts share the hostname: a command that names it is refused with the candidates.
  auto hostname = collector.ctl_json({"host", first.agent_id()})["hostname"].get<std::string>();
  auto ambiguous = collector.ctl({"host", hostname});
  CHECK(ambiguous.exit_code != 0);
  CHECK(ambiguous.err.find(first.agent_id()) != std::string::npos);
  CHECK(ambiguous.err.find(second.agent_id()) != std::string::npos);
  CHECK(ambiguous.err.find("agent ID") != std::string::npos);
  CHECK(collector.ctl({"revoke", hostname}).exit_code != 0);
  CHECK(collector.ctl_json({"status"})["hosts"]["revoked"] == 0);  // nothing was revoked
  CHECK(collector.ctl({"host", first.agent_id()}).exit_code == 0);

  // Once one of them is revoked, the name picks the live one again.
  REQUIRE(collector.ctl({"revoke", first.agent_id()}).exit_code == 0);
  CHECK(collector.ctl_json({"host", hostname})["agent_id"] == second.agent_id());

  // A hostname the agent reports differently from before is an event and an audit entry.
  second.speak({}, "renamed-pc");
  events = collector.ctl_json({"events", "--kind", "host.renamed"});
  REQUIRE(events.size() == 1);
  CHECK(events[0]["data"]["from"] == hostname);
  CHECK(events[0]["data"]["to"] == "renamed-pc");
  bool audited = false;
  for (const auto& a : collector.ctl_json({"audit"}))
    audited |= a["action"] == "host.renamed" && a["actor"] == "agent " + second.agent_id();
  CHECK(audited);
}
