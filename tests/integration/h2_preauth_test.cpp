// Pre-authentication HTTP/2 load (issue 10): a LAN peer with no certificate attacks the agent
// port with tests/integration/h2_preauth_load.py (rapid reset, oversized header blocks, many
// streams, many connections) while enrolled agents report. The collector must stay up and keep
// acknowledging and committing, stay within a memory bound, and show the HTTP/2 limits to the
// attacker. And with enrollment on a listener of its own, the agent port refuses such a peer in
// the TLS handshake. No timing is asserted; the numbers are in docs/security.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/files.hpp"
#include "common/tls.hpp"
#include "tests/integration/fleet.hpp"
#include "warden/v1/agent.grpc.pb.h"

using namespace warden;
using namespace warden::test;

namespace {

const std::string kAttack =
    std::string(WARDEN_SOURCE_DIR) + "/tests/integration/h2_preauth_load.py";

struct ProcMemory {
  double rss_mb = 0, hwm_mb = 0;
};

ProcMemory memory_of(pid_t pid) {
  ProcMemory out;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) out.rss_mb = std::stod(line.substr(6)) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) out.hwm_mb = std::stod(line.substr(6)) / 1024;
  }
  return out;
}

v1::AgentMessage report(uint64_t seq) {
  v1::AgentMessage m;
  m.set_seq(seq);
  auto* f = m.mutable_report()->add_findings();
  f->set_check("av.running");
  f->set_status(v1::STATUS_PASS);
  f->set_severity(v1::SEVERITY_INFO);
  f->set_summary("clamd is running");
  return m;
}

// Sends report `seq` on a new session; true when the collector acknowledged it as committed.
// A session that ends first (its 20 s deadline under load) is followed by another with the same
// seq, as the agent's outbox does: the collector commits a seq once, whatever the retries.
bool report_acked(AgentProcess& agent, uint64_t seq) {
  for (int attempt = 0; attempt < 5; ++attempt)
    for (const auto& reply : agent.speak({report(seq)}))
      if (reply.has_ack() && reply.ack().committed_seq() >= seq) return true;
  return false;
}

int64_t reports_of(const CollectorProcess& c, const AgentProcess& a) {
  return c.scalar(
      "SELECT count(*) FROM reports r JOIN hosts h ON h.id = r.host_id WHERE h.agent_id = '" +
      a.agent_id() + "'");
}

nlohmann::json phase(const nlohmann::json& result, const std::string& name) {
  for (const auto& p : result["phases"])
    if (p["phase"] == name) return p;
  FAIL("no phase " << name << " in " << result.dump());
  return {};
}

int count(const nlohmann::json& j, const std::string& key) {
  return j.contains(key) ? j[key].get<int>() : 0;
}

}  // namespace

TEST_CASE("pre-authentication HTTP/2 attacks leave the collector serving enrolled agents",
          "[security][h2]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess a(dir / "a", collector), b(dir / "b", collector);
  REQUIRE(a.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(b.enroll(collector.create_token("Finance")).exit_code == 0);
  uint64_t seq_a = 1;
  REQUIRE(report_acked(a, seq_a));
  REQUIRE(report_acked(b, 1));
  auto baseline = memory_of(collector.pid());
  INFO("collector RSS before the attack: " << baseline.rss_mb << " MB");

  // The attack runs on its own (each phase bounded in count and to 20 s; a quarter of the
  // default counts: 50,000 rapid resets) while agent a keeps reporting, one new session per
  // report, so new connections of real agents are tried too.
  auto out = dir / "attack.json";
  Process attacker(
      {kAttack, "--target", collector.address(), "--scale", "0.25", "--output", out.string()},
      dir / "attack.log");
  int acked_during = 0, sent_during = 0;
  while (attacker.running()) {
    ++sent_during;
    if (report_acked(a, ++seq_a)) ++acked_during;
  }
  int attack_status = attacker.stop();
  auto attack_log = files::read_if_exists(dir / "attack.log").value_or("");
  INFO("attack log:\n" << attack_log);
  REQUIRE(attack_status == 0);
  auto result = nlohmann::json::parse(files::read(out));
  INFO("attack result: " << result.dump());
  auto peak = memory_of(collector.pid());
  INFO("collector RSS after: " << peak.rss_mb << " MB, peak " << peak.hwm_mb << " MB");

  // Still alive and serving: both agents' reports acknowledged after the attack, and every
  // acknowledged report committed.
  REQUIRE(collector.running());
  CHECK(report_acked(a, ++seq_a));
  CHECK(report_acked(b, 2));
  CHECK(sent_during > 0);
  CHECK(acked_during == sent_during);
  CHECK(reports_of(collector, a) == 1 + acked_during + 1);
  CHECK(reports_of(collector, b) == 2);

  // Memory: a generous bound over the measured baseline. gRPC 1.51 keeps a call per reset
  // stream until it catches up, so the peak varies widely from run to run: up to about 20 KB per
  // reset was measured (docs/security.md), 1 GB for these 50,000; the bound catches growth
  // beyond that (a leak per connection or per phase), not the noise within it.
  CHECK(peak.hwm_mb < baseline.rss_mb + 2048);

  // The limits as the attacker sees them.
  auto streams = phase(result, "streams");
  CHECK(streams["server_settings"]["3"] == 8);     // SETTINGS_MAX_CONCURRENT_STREAMS
  CHECK(streams["server_settings"]["6"] == 4096);  // SETTINGS_MAX_HEADER_LIST_SIZE
  // Beyond the limit gRPC 1.51 refuses the stream or drops the connection; either way no
  // connection gets more than 8 calls answered.
  CHECK((count(streams["rst_stream"], "REFUSED_STREAM") > 0 ||
         streams["closed_by_server"] == streams["connections"]));
  int answered = 0;
  for (auto& [status, n] : streams["grpc_status"].items()) answered += n.get<int>();
  CHECK(answered <= 8 * streams["connections"].get<int>());
  auto headers = phase(result, "headers");
  for (auto& [kind, attempts] : headers["attempts"].items()) {
    INFO(kind);
    CHECK(count(headers["answered"], kind) == attempts.get<int>());  // refused, not left hanging
  }
  CHECK(count(headers["grpc_status"], "grpc-status 0") == 0);
  auto reset = phase(result, "rapid-reset");
  CHECK(reset["streams_sent"].get<int>() > 0);
  auto conns = phase(result, "connections");
  CHECK(conns["established"].get<int>() > 0);
}

TEST_CASE("with enrollment on a listener of its own the agent port needs a certificate",
          "[security][h2]") {
  TempDir dir;
  int enroll_port = free_port();
  std::string enroll_address = "127.0.0.1:" + std::to_string(enroll_port);
  CollectorProcess collector(dir.path(), {"--enroll-listen", enroll_address});
  REQUIRE(wait_for([&] { return collector.log().find("enrollment on") != std::string::npos; }));

  // The agent enrolls through the enrollment listener and reports on the agent port.
  AgentProcess a(dir / "a", collector);
  auto token = collector.create_token("Finance");
  auto refused = a.enroll(token);  // on the agent port: no certificate, no TLS
  CHECK(refused.exit_code != 0);
  auto enrolled =
      run({binary("warden-agent").string(), "enroll", "--collector", collector.address(),
           "--enroll-address", enroll_address, "--token", token, "--ca-fingerprint",
           collector.fingerprint(), "--state-dir", a.state_dir().string()});
  INFO(enrolled.out << enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  CHECK(report_acked(a, 1));
  CHECK(reports_of(collector, a) == 1);

  // A peer without a certificate never reaches HTTP/2 on the agent port.
  auto out = dir / "attack.json";
  auto r = run({kAttack, "--target", collector.address(), "--phases", "connections,rapid-reset",
                "--scale", "0.1", "--phase-seconds", "5", "--output", out.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto result = nlohmann::json::parse(files::read(out));
  INFO(result.dump());
  for (const auto& p : result["phases"]) {
    CHECK(p["connections"].get<int>() + p["connect_failed"].get<int>() > 0);
    CHECK(p["connections"] == p["not_established"]);
    CHECK(p["server_settings"].empty());
  }

  // Each listener serves its own method only.
  auto ca = files::read(collector.data_dir() / "ca.crt");
  {
    auto stub = v1::AgentService::NewStub(
        tls::collector_channel(collector.address(), ca, files::read(a.state_dir() / "agent.crt"),
                               files::read(a.state_dir() / "agent.key")));
    grpc::ClientContext ctx;
    v1::EnrollRequest req;
    v1::EnrollResponse resp;
    CHECK(stub->Enroll(&ctx, req, &resp).error_code() == grpc::StatusCode::UNIMPLEMENTED);
  }
  {
    auto stub = v1::AgentService::NewStub(tls::collector_channel(enroll_address, ca));
    grpc::ClientContext ctx;
    auto stream = stub->Session(&ctx);
    v1::CollectorMessage reply;
    CHECK_FALSE(stream->Read(&reply));
    CHECK(stream->Finish().error_code() == grpc::StatusCode::UNIMPLEMENTED);
  }
  REQUIRE(collector.running());
}

TEST_CASE("enroll_listen = off closes enrollment and keeps the agents' port", "[security][h2]") {
  TempDir dir;
  int enroll_port = free_port();
  std::string enroll_address = "127.0.0.1:" + std::to_string(enroll_port);
  // Enroll one agent through an enrollment listener, then restart with enrollment closed.
  auto conf = dir / "collector.conf";
  write_file(conf, "enroll_listen = " + enroll_address + "\n");
  CollectorProcess collector(dir.path(), {"--config", conf.string()});
  AgentProcess a(dir / "a", collector);
  auto fingerprint = collector.fingerprint();
  auto enroll = [&](AgentProcess& agent) {
    return run({binary("warden-agent").string(), "enroll", "--collector", collector.address(),
                "--enroll-address", enroll_address, "--token", collector.create_token("Finance"),
                "--ca-fingerprint", fingerprint, "--state-dir", agent.state_dir().string()});
  };
  REQUIRE(enroll(a).exit_code == 0);
  collector.stop();
  write_file(conf, "enroll_listen = off\n");
  collector.start();
  REQUIRE(
      wait_for([&] { return collector.log().find("enrollment is closed") != std::string::npos; }));

  AgentProcess b(dir / "b", collector);
  CHECK(enroll(b).exit_code != 0);
  CHECK(b.enroll(collector.create_token("Finance")).exit_code != 0);
  CHECK(report_acked(a, 1));
  CHECK(collector.scalar("SELECT count(*) FROM hosts") == 1);

  // Anything else is refused at startup, naming the setting.
  auto bad =
      run({binary("warden-collector").string(), "--data-dir", (dir / "x").string(), "--listen",
           "127.0.0.1:" + std::to_string(free_port()), "--enroll-listen", "7444"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("enroll_listen must be HOST:PORT") != std::string::npos);
}
