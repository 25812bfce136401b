// Who may open a session: only agents whose certificate the collector issued and still honours.
#include <catch2/catch.hpp>

#include <functional>

#include "common/files.hpp"
#include "common/pki.hpp"
#include "common/tls.hpp"
#include "tests/integration/fleet.hpp"
#include "warden/v1/agent.grpc.pb.h"

using namespace warden;
using namespace warden::test;

namespace {

struct StreamOutcome {
  grpc::Status status;
  std::vector<v1::CollectorMessage> received;
};

// Opens a session with the given client identity, sends `messages`, reads until `want` replies
// arrived (or `last` says the reply just read is the last one wanted) or the stream ends, and
// closes.
StreamOutcome talk(const CollectorProcess& c, const std::string& cert, const std::string& key,
                   const std::vector<v1::AgentMessage>& messages, size_t want,
                   const std::function<bool(const v1::CollectorMessage&)>& last = nullptr) {
  auto channel =
      tls::collector_channel(c.address(), files::read(c.data_dir() / "ca.crt"), cert, key);
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->Session(&ctx);
  for (const auto& m : messages)
    if (!stream->Write(m)) break;
  StreamOutcome out;
  v1::CollectorMessage reply;
  bool done = false;
  while (!done && stream->Read(&reply)) {
    out.received.push_back(reply);
    done = last ? last(reply) : out.received.size() >= want;
  }
  stream->WritesDone();
  if (done) ctx.TryCancel();
  out.status = stream->Finish();
  return out;
}

v1::AgentMessage hello(const std::string& hostname) {
  v1::AgentMessage m;
  m.mutable_hello()->mutable_host()->set_hostname(hostname);
  return m;
}

}  // namespace

// [any-backend]: refused in the TLS handshake, before the database is asked anything.
TEST_CASE("a certificate from another CA is refused in the TLS handshake",
          "[any-backend][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto foreign_ca = pki::create_ca("Foreign CA", std::chrono::days(10));
  auto key = pki::generate_key();
  auto cert = pki::sign_client_csr(foreign_ca, pki::create_csr(key.private_key_pem, "x"),
                                   "a-forged", "Finance", std::chrono::days(10));
  auto out = talk(collector, cert, key.private_key_pem, {hello("intruder")}, 1);
  CHECK_FALSE(out.status.ok());
  CHECK(out.received.empty());
  CHECK(collector.scalar("SELECT count(*) FROM hosts") == 0);
}

TEST_CASE("a certificate our CA signed for an agent that was never enrolled is refused",
          "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  pki::CertificateBundle ca{files::read(collector.data_dir() / "ca.crt"),
                            files::read(collector.data_dir() / "ca.key")};
  auto key = pki::generate_key();
  auto cert = pki::sign_client_csr(ca, pki::create_csr(key.private_key_pem, "x"), "a-unknown", "X",
                                   std::chrono::days(1));
  auto out = talk(collector, cert, key.private_key_pem, {hello("ghost")}, 1);
  CHECK(out.status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(out.status.error_message().find("unknown agent") != std::string::npos);
}

// [any-backend]: refused in the TLS handshake, before the database is asked anything.
TEST_CASE("a session without a client certificate is refused", "[any-backend][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto out = talk(collector, "", "", {hello("anonymous")}, 1);
  CHECK(out.status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
}

// [any-backend]: refused in the TLS handshake, before the database is asked anything.
TEST_CASE("TLS below 1.3 is refused", "[any-backend][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto tls12 = run({"openssl", "s_client", "-tls1_2", "-connect", collector.address()});
  CHECK(tls12.out.find("Cipher is (NONE)") != std::string::npos);
  auto tls13 =
      run({"openssl", "s_client", "-tls1_3", "-alpn", "h2", "-connect", collector.address()});
  CHECK(tls13.out.find("TLSv1.3") != std::string::npos);
}

TEST_CASE("identity comes from the certificate and bad reports are rejected, not stored",
          "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  auto cert = files::read(agent.state_dir() / "agent.crt");
  auto key = files::read(agent.state_dir() / "agent.key");

  v1::AgentMessage bad;
  bad.set_seq(1);
  auto* f = bad.mutable_report()->add_findings();
  f->set_check("av.running'); DROP TABLE hosts; --");
  f->set_status(v1::STATUS_PASS);
  f->set_severity(v1::SEVERITY_INFO);
  v1::AgentMessage good;
  good.set_seq(2);
  auto* g = good.mutable_report()->add_findings();
  g->set_check("av.running");
  g->set_status(v1::STATUS_FAIL);
  g->set_severity(v1::SEVERITY_HIGH);
  g->set_summary("clamd is not running");
  g->set_evidence_json(R"({"seen":"inactive","expected":"active"})");

  // hello_ack, rejected(1), then cumulative acks up to 2 (and the collector's policy, in any
  // order): read until the ack that covers 2.
  auto out = talk(
      collector, cert, key, {hello("pc-17"), bad, good}, 0,
      [](const v1::CollectorMessage& m) { return m.has_ack() && m.ack().committed_seq() >= 2; });
  bool rejected = false;
  uint64_t acked = 0;
  for (const auto& m : out.received) {
    if (m.has_rejected()) {
      rejected = true;
      CHECK(m.rejected().seq() == 1);
      CHECK(m.rejected().reason().find("check may only contain") != std::string::npos);
    }
    if (m.has_ack()) acked = std::max<uint64_t>(acked, m.ack().committed_seq());
  }
  CHECK(rejected);
  CHECK(acked == 2);
  CHECK(collector.scalar("SELECT count(*) FROM hosts") == 1);
  CHECK(collector.scalar(
            "SELECT count(*) FROM events WHERE kind = 'warden.rejected' AND seq = 1") == 1);
  CHECK(collector.scalar("SELECT count(*) FROM latest_results") == 1);
  auto host = collector.ctl_json({"host", agent.agent_id()});
  CHECK(host["hostname"] == "pc-17");
  REQUIRE(host["findings"].size() == 1);
  CHECK(host["findings"][0]["check"] == "av.running");
  CHECK(host["findings"][0]["status"] == "fail");
  CHECK(host["findings"][0]["evidence"]["expected"] == "active");
}

TEST_CASE("revoking a host closes its open stream and refuses it afterwards", "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  auto online = [&] {
    auto hosts = collector.ctl_json({"hosts"});
    return hosts.size() == 1 && hosts[0]["online"] == true;
  };
  REQUIRE(wait_for(online));
  REQUIRE(collector.ctl({"revoke", agent.agent_id()}).exit_code == 0);
  CHECK(wait_for([&] { return !online(); }, std::chrono::seconds(5)));
  // The agent keeps retrying; each attempt is refused.
  CHECK(wait_for([&] { return collector.log().find("is revoked") != std::string::npos; }));
  CHECK_FALSE(online());
  auto status = collector.ctl_json({"status"});
  CHECK(status["hosts"]["revoked"] == 1);
}

namespace {

// A stream opened with the agent's certificate that says nothing until told to.
struct SilentStream {
  grpc::ClientContext ctx;
  std::unique_ptr<v1::AgentService::Stub> stub;
  std::unique_ptr<grpc::ClientReaderWriter<v1::AgentMessage, v1::CollectorMessage>> stream;

  SilentStream(const CollectorProcess& c, const AgentProcess& a) {
    auto channel = tls::collector_channel(c.address(), files::read(c.data_dir() / "ca.crt"),
                                          files::read(a.state_dir() / "agent.crt"),
                                          files::read(a.state_dir() / "agent.key"));
    stub = v1::AgentService::NewStub(channel);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    stream = stub->Session(&ctx);
    // The collector has accepted it (certificate checked, registered) once it says so.
    auto opened = "for " + a.agent_id() + " opened; waiting for its hello";
    REQUIRE(wait_for([&] { return c.log().find(opened) != std::string::npos; }));
  }
};

}  // namespace

TEST_CASE("revocation closes a stream that has not said hello yet", "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  SilentStream s(collector, agent);
  REQUIRE(collector.ctl({"revoke", agent.agent_id()}).exit_code == 0);
  // Nothing was sent: the stream ends because the collector closed it, not by the deadline.
  v1::CollectorMessage reply;
  CHECK_FALSE(s.stream->Read(&reply));
  auto st = s.stream->Finish();
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(st.error_message().find("revoked") != std::string::npos);
}

TEST_CASE("hello re-checks the revoked flag and the certificate serial", "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  auto say_hello = [&](SilentStream& s) {
    REQUIRE(s.stream->Write(hello("pc-1")));
    v1::CollectorMessage reply;
    bool acked = s.stream->Read(&reply) && reply.has_hello_ack();
    if (acked) s.ctx.TryCancel();
    return std::make_pair(acked, s.stream->Finish());
  };
  SECTION("revoked after the stream opened, by a writer the stream's collector did not hear") {
    // As when another collector on the same database revokes it: no registry close reaches here.
    SilentStream s(collector, agent);
    collector.execute("UPDATE hosts SET revoked = TRUE, revoked_at = 1");
    auto [acked, st] = say_hello(s);
    CHECK_FALSE(acked);
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(st.error_message().find("revoked") != std::string::npos);
  }
  SECTION("its certificate replaced after the stream opened") {
    SilentStream s(collector, agent);
    collector.execute("UPDATE hosts SET cert_serial = '00ff'");
    auto [acked, st] = say_hello(s);
    CHECK_FALSE(acked);
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(st.error_message().find("no longer the current one") != std::string::npos);
  }
  SECTION("unchanged: the same stream is welcome") {
    SilentStream s(collector, agent);
    auto [acked, st] = say_hello(s);
    CHECK(acked);
  }
}
