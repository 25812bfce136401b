// At-least-once on the wire, exactly-once in the database: the outbox survives restarts and the
// collector drops what it already committed.
#include <signal.h>
#include <catch2/catch.hpp>

#include "tests/integration/fleet.hpp"

using namespace warden::test;
namespace fs = std::filesystem;

namespace {
void copy_outbox(const fs::path& from_dir, const fs::path& to_dir) {
  fs::create_directories(to_dir);
  for (const char* name : {"outbox.db", "outbox.db-wal", "outbox.db-shm"}) {
    fs::remove(to_dir / name);
    if (fs::exists(from_dir / name)) fs::copy_file(from_dir / name, to_dir / name);
  }
}
}  // namespace

TEST_CASE("unacknowledged messages are resent after a restart and stored exactly once",
          "[delivery]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);

  // The collector is down: the startup sweep's report waits in the outbox.
  collector.stop();
  agent.start();
  REQUIRE(wait_for([&] { return agent.outbox_depth() == 1; }, std::chrono::seconds(60)));
  agent.stop(SIGKILL);  // no chance to do anything more
  copy_outbox(agent.state_dir(), dir / "snapshot");

  // Collector back, agent restarted: the report is delivered and acknowledged.
  collector.start();
  agent.start({"--no-startup-sweep"});
  REQUIRE(wait_for([&] { return agent.outbox_depth() == 0; }, std::chrono::seconds(30)));
  CHECK(collector.scalar("SELECT count(*) FROM reports") == 1);
  CHECK(collector.scalar("SELECT seq FROM reports") == 1);
  agent.stop();

  // The acknowledgement is "lost": the agent comes back with the message still in its outbox.
  copy_outbox(dir / "snapshot", agent.state_dir());
  REQUIRE(agent.outbox_depth() == 1);
  agent.start({"--no-startup-sweep"});
  REQUIRE(wait_for([&] { return agent.outbox_depth() == 0; }, std::chrono::seconds(30)));
  CHECK(collector.scalar("SELECT count(*) FROM reports") == 1);
  CHECK(collector.scalar("SELECT last_seq FROM hosts") == 1);

  // New work continues from the next sequence number.
  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["answered"] == 1);
  CHECK(collector.scalar("SELECT count(*) FROM reports") == 2);
  CHECK(collector.scalar("SELECT max(seq) FROM reports") == 2);
  CHECK(collector.scalar("SELECT count(*) FROM (SELECT host_id, seq FROM reports GROUP BY 1, 2 "
                         "HAVING count(*) > 1) AS twice") == 0);
}

TEST_CASE("status history keeps transitions only", "[delivery]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  for (int i = 0; i < 3; ++i)
    REQUIRE(collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"})["answered"] == 1);
  // Three sweeps of the same host: each check has exactly one history row (its first result),
  // unless its status genuinely changed between sweeps.
  auto checks = collector.scalar("SELECT count(*) FROM latest_results");
  auto history = collector.scalar("SELECT count(*) FROM status_history");
  REQUIRE(checks > 0);  // the agent's modules reported results
  CHECK(history >= checks);
  CHECK(history < 3 * std::max<int64_t>(checks, 1));
  CHECK(collector.scalar("SELECT count(*) FROM reports") == 3);
}
