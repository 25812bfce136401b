// Faults: the collector killed mid-ingest, an agent killed mid-send, the collector away for a
// while, a full disk and a locked database. Nothing acknowledged is lost, nothing is stored twice.
#include <signal.h>
#include <sys/mount.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "agent/outbox.hpp"
#include "common/files.hpp"
#include "common/pki.hpp"
#include "common/sqlite.hpp"
#include "common/tls.hpp"
#include "tests/integration/fleet.hpp"
#include "warden/v1/agent.grpc.pb.h"

using namespace warden;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {

// A data directory on a small filesystem of its own (a 24 MB tmpfs), unmounted at the end: it
// can really fill up, or be made read-only.
struct SmallFilesystem {
  fs::path path;
  explicit SmallFilesystem(fs::path p) : path(std::move(p)) {
    fs::create_directories(path);
    REQUIRE(mount("tmpfs", path.c_str(), "tmpfs", 0, "size=24m,mode=0700") == 0);
  }
  ~SmallFilesystem() { umount2(path.c_str(), MNT_DETACH); }
};

v1::AgentMessage report(uint64_t seq) {
  v1::AgentMessage m;
  m.set_seq(seq);
  auto* r = m.mutable_report();
  for (const char* check : {"av.running", "patch.security_updates", "host.screen_lock"}) {
    auto* f = r->add_findings();
    f->set_check(check);
    f->set_status(seq % 3 ? v1::STATUS_PASS : v1::STATUS_FAIL);
    f->set_severity(v1::SEVERITY_MEDIUM);
    f->set_summary("state " + std::to_string(seq));
  }
  return m;
}

std::vector<v1::AgentMessage> reports(uint64_t from, uint64_t to) {
  std::vector<v1::AgentMessage> out;
  for (uint64_t s = from; s <= to; ++s) out.push_back(report(s));
  return out;
}

uint64_t max_ack(const std::vector<v1::CollectorMessage>& replies) {
  uint64_t acked = 0;
  for (const auto& r : replies) {
    if (r.has_ack()) acked = std::max<uint64_t>(acked, r.ack().committed_seq());
    if (r.has_hello_ack()) acked = std::max<uint64_t>(acked, r.hello_ack().committed_seq());
  }
  return acked;
}

// Every seq 1..n of the host stored exactly once.
void check_exactly_once(const CollectorProcess& collector, const std::string& agent_id, int64_t n) {
  std::string host = "(SELECT id FROM hosts WHERE agent_id = '" + agent_id + "')";
  INFO(agent_id);
  CHECK(collector.scalar("SELECT count(*) FROM reports WHERE host_id = " + host) == n);
  CHECK(collector.scalar("SELECT count(DISTINCT seq) FROM reports WHERE host_id = " + host) == n);
  CHECK(collector.scalar("SELECT coalesce(max(seq), 0) FROM reports WHERE host_id = " + host) == n);
}

// Prefills an enrolled agent's outbox as if it had swept `n` times while offline.
void prefill_outbox(const AgentProcess& agent, int n) {
  agent::Outbox box((agent.state_dir() / "outbox.db").string());
  for (int i = 0; i < n; ++i) {
    auto m = report(0);
    m.clear_seq();
    box.append(m);
  }
}

}  // namespace

TEST_CASE("the collector killed mid-ingest keeps everything it acknowledged", "[fault]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  constexpr int kAgents = 3;
  constexpr uint64_t kMessages = 3000;
  std::vector<std::unique_ptr<AgentProcess>> agents;
  for (int i = 0; i < kAgents; ++i) {
    agents.push_back(std::make_unique<AgentProcess>(dir / ("a" + std::to_string(i)), collector));
    REQUIRE(agents.back()->enroll(collector.create_token("Finance")).exit_code == 0);
  }

  std::vector<uint64_t> acked(kAgents, 0);
  std::vector<std::thread> senders;
  for (int i = 0; i < kAgents; ++i)
    senders.emplace_back([&, i] { acked[i] = max_ack(agents[i]->speak(reports(1, kMessages))); });
  REQUIRE(wait_for([&] { return collector.scalar("SELECT count(*) FROM reports") >= 1500; },
                   std::chrono::seconds(60)));
  collector.stop(SIGKILL);
  for (auto& t : senders) t.join();

  uint64_t total_acked = 0;
  for (int i = 0; i < kAgents; ++i) total_acked += acked[i];
  CHECK(total_acked > 0);
  CHECK(total_acked < kAgents * kMessages);  // it really was mid-ingest

  fs::remove(collector.socket());
  collector.start();
  for (int i = 0; i < kAgents; ++i) {
    // Everything acknowledged before the kill survived it.
    std::string host = "(SELECT id FROM hosts WHERE agent_id = '" + agents[i]->agent_id() + "')";
    CHECK(collector.scalar("SELECT count(*) FROM reports WHERE seq <= " + std::to_string(acked[i]) +
                           " AND host_id = " + host) == static_cast<int64_t>(acked[i]));
  }
  // The agents resend everything not acknowledged (here: everything); each lands once.
  for (int i = 0; i < kAgents; ++i) {
    auto replies = agents[i]->speak(reports(1, kMessages));
    CHECK(max_ack(replies) == kMessages);
    check_exactly_once(collector, agents[i]->agent_id(), kMessages);
  }
}

TEST_CASE("an agent killed mid-send loses nothing and doubles nothing", "[fault]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  constexpr int kQueued = 4000;
  prefill_outbox(agent, kQueued);

  agent.start({"--no-startup-sweep"});
  REQUIRE(wait_for([&] { return collector.scalar("SELECT count(*) FROM reports") >= 500; },
                   std::chrono::seconds(60)));
  agent.stop(SIGKILL);
  int64_t stored = collector.scalar("SELECT count(*) FROM reports");
  CHECK(stored < kQueued);
  CHECK(agent.outbox_depth() > 0);

  agent.start({"--no-startup-sweep"});
  REQUIRE(wait_for([&] { return agent.outbox_depth() == 0; }, std::chrono::seconds(60)));
  check_exactly_once(collector, agent.agent_id(), kQueued);
}

TEST_CASE("agents wait out a collector outage with capped, jittered backoff, then drain",
          "[fault]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  constexpr int kQueued = 2000;
  prefill_outbox(agent, kQueued);
  collector.stop();

  agent.start({"--no-startup-sweep"});  // fleet.cpp: --reconnect-base 100ms --reconnect-max 1s
  auto attempts = [&] {
    auto log = agent.log();
    size_t n = 0;
    for (size_t at = log.find("reconnecting in"); at != std::string::npos;
         at = log.find("reconnecting in", at + 1))
      ++n;
    return n;
  };
  bool retried = wait_for([&] { return attempts() >= 8; }, std::chrono::seconds(30));
  INFO(agent.log());
  REQUIRE(retried);
  std::vector<long> delays;
  auto log = agent.log();
  std::regex delay_re("reconnecting in ([0-9]+) ms");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), delay_re);
       it != std::sregex_iterator(); ++it)
    delays.push_back(std::stol((*it)[1]));
  REQUIRE(delays.size() >= 8);
  for (long d : delays) CHECK(d <= 1000);  // capped
  std::set<long> distinct(delays.begin(), delays.end());
  CHECK(distinct.size() > 3);              // jittered: a fleet does not reconnect in lockstep
  CHECK(agent.outbox_depth() == kQueued);  // nothing lost while waiting

  fs::remove(collector.socket());
  collector.start();
  REQUIRE(wait_for([&] { return agent.outbox_depth() == 0; }, std::chrono::seconds(60)));
  check_exactly_once(collector, agent.agent_id(), kQueued);
}

// [sqlite]: the SQLite file fills the data directory's filesystem; a PostgreSQL database is not
// on it.
TEST_CASE("a full disk stops acknowledgements, keeps the collector up, and recovers",
          "[sqlite][fault]") {
  TempDir dir;
  SmallFilesystem fs_of_collector(dir / "collector");  // so it can really fill up

  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(max_ack(agent.speak(reports(1, 100))) == 100);

  // Fill the filesystem.
  {
    std::ofstream filler(dir / "collector" / "filler", std::ios::binary);
    std::string block(1 << 16, 'x');
    while (filler.write(block.data(), block.size())) {
    }
  }
  std::atomic<uint64_t> acked{0};
  std::thread sender([&] { acked = max_ack(agent.speak(reports(101, 3000))); });
  // The writer has met the full disk (and said so) while the collector stays up.
  CHECK(wait_for([&] { return collector.log().find("not acknowledging") != std::string::npos; },
                 std::chrono::seconds(30)));
  CHECK(collector.running());

  fs::remove(dir / "collector" / "filler");  // space returns
  sender.join();
  CHECK(acked == 3000);
  CHECK(collector.running());
  check_exactly_once(collector, agent.agent_id(), 3000);
}

// [sqlite]: SQLite's write lock held by another process. On PostgreSQL writers do not lock each
// other out; its faults are a restarted server and a partition (postgresql_collectors_test.cpp).
TEST_CASE("a locked database delays acknowledgements and loses nothing", "[sqlite][fault]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(max_ack(agent.speak(reports(1, 10))) == 10);

  sqlite::Connection locker(collector.database().string());
  locker.exec("BEGIN IMMEDIATE");  // holds the write lock, as a stuck backup tool might
  std::atomic<uint64_t> acked{0};
  std::atomic<bool> done{false};
  std::thread sender([&] {
    acked = max_ack(agent.speak(reports(11, 500)));
    done = true;
  });
  // Wait for the writer to have tried and failed (busy past its timeout), not for a fixed time.
  CHECK(wait_for([&] { return collector.log().find("not acknowledging") != std::string::npos; },
                 std::chrono::seconds(30)));
  CHECK_FALSE(done);  // no acknowledgement while nothing can be committed
  CHECK(collector.running());
  locker.exec("COMMIT");
  sender.join();
  CHECK(acked == 500);
  check_exactly_once(collector, agent.agent_id(), 500);
}

TEST_CASE("an agent over its rate limit is cut off with a reason and others are unaffected",
          "[fault]") {
  TempDir dir;
  files::write_atomic(dir / "collector.conf",
                      "agent_messages_per_second = 5\nagent_burst_messages = 100\n", 0600);
  CollectorProcess collector(dir.path(), {"--config", (dir / "collector.conf").string()});
  AgentProcess noisy(dir / "a", collector), quiet(dir / "b", collector);
  REQUIRE(noisy.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(quiet.enroll(collector.create_token("Finance")).exit_code == 0);

  auto acked = max_ack(noisy.speak(reports(1, 1000)));
  CHECK(collector.log().find("rate limit: more than 100 messages at once or 5/s sustained") !=
        std::string::npos);
  std::string host = "(SELECT id FROM hosts WHERE agent_id = '" + noisy.agent_id() + "')";
  // The burst, plus what refilled meanwhile, is stored; the rest was refused, not acknowledged
  // (acknowledgements of the last committed messages may be lost with the stream: those are
  // resent later and dropped as duplicates).
  // What was admitted before the cut-off is still being committed: wait for it.
  auto stored_now = [&] {
    return collector.scalar("SELECT count(*) FROM reports WHERE host_id = " + host);
  };
  CHECK(wait_for([&] { return stored_now() >= 100; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int64_t stored = stored_now();
  CHECK(stored >= 100);
  CHECK(stored <= 120);
  CHECK(static_cast<int64_t>(acked) <= stored);

  CHECK(max_ack(quiet.speak(reports(1, 50))) == 50);
  check_exactly_once(collector, quiet.agent_id(), 50);
}

namespace {

// Hello, then a certificate renewal request; returns how the stream ended and whether a
// certificate came back.
std::pair<grpc::Status, bool> renew(const CollectorProcess& c, const AgentProcess& a) {
  auto channel = tls::collector_channel(c.address(), files::read(a.state_dir() / "ca.crt"),
                                        files::read(a.state_dir() / "agent.crt"),
                                        files::read(a.state_dir() / "agent.key"));
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stream = stub->Session(&ctx);
  v1::AgentMessage hello, renewal;
  hello.mutable_hello()->mutable_host()->set_hostname("pc-test");
  renewal.mutable_renew_certificate()->set_csr_pem(
      pki::create_csr(pki::generate_key().private_key_pem, a.agent_id()));
  bool got_certificate = false;
  if (stream->Write(hello) && stream->Write(renewal)) {
    v1::CollectorMessage m;
    while (stream->Read(&m)) {
      if (m.has_certificate()) {
        got_certificate = true;
        ctx.TryCancel();
        break;
      }
    }
  }
  return {stream->Finish(), got_certificate};
}

}  // namespace

// [sqlite]: made with SQLite's write lock, as above.
TEST_CASE("database faults inside the collector end one call with a reason, never the process",
          "[sqlite][fault]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(max_ack(agent.speak(reports(1, 5))) == 5);

  sqlite::Connection locker(collector.database().string());
  locker.exec("BEGIN IMMEDIATE");  // held past the collector's 5 s busy timeout
  SECTION("locked: hello, renewal and a sweep") {
    // Hello: the host's details cannot be recorded, yet the agent is let in (its data waits).
    auto replies = agent.speak({});
    CHECK((!replies.empty() && replies[0].has_hello_ack()));
    // Renewal: the new certificate cannot be stored; the stream ends UNAVAILABLE.
    auto [status, certified] = renew(collector, agent);
    CHECK_FALSE(certified);
    CHECK(status.error_code() == grpc::StatusCode::UNAVAILABLE);
    // A sweep cannot be recorded: the admin is told the database is busy.
    auto sweep = collector.ctl({"sweep", "run"});
    CHECK(sweep.exit_code != 0);
    CHECK(sweep.err.find("busy") != std::string::npos);
    CHECK(collector.running());
    locker.exec("COMMIT");
    CHECK(renew(collector, agent).second);
    CHECK(collector.ctl({"sweep", "run"}).exit_code == 0);
    CHECK(max_ack(agent.speak(reports(6, 10))) == 10);
    CHECK(collector.running());
  }
}

TEST_CASE("a data directory made read-only stops the collector with the reason, data intact",
          "[fault]") {
  TempDir dir;
  SmallFilesystem fs_of_collector(dir / "collector");
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  REQUIRE(max_ack(agent.speak(reports(1, 5))) == 5);
  collector.stop();  // everything acknowledged is committed: how it stops does not matter here

  // A filesystem cannot be made read-only under files open for writing (EBUSY): so the fault is
  // met where it can be met, at start. The collector refuses with the reason, not a crash.
  REQUIRE(mount(nullptr, (dir / "collector").c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) ==
          0);
  std::vector<std::string> argv{binary("warden-collector").string(), "--data-dir",
                                collector.data_dir().string(), "--listen", collector.address()};
  for (const auto& arg : collector.database_args()) argv.push_back(arg);
  auto refused = run(argv, {}, std::chrono::seconds(30));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("Read-only file system") != std::string::npos);
  REQUIRE(mount(nullptr, (dir / "collector").c_str(), nullptr, MS_REMOUNT, nullptr) == 0);
  collector.start();
  REQUIRE(max_ack(agent.speak(reports(6, 10))) == 10);
  check_exactly_once(collector, agent.agent_id(), 10);
}
