// Collectors on PostgreSQL (issue 13), as processes: real warden-collector and warden-agent
// binaries on loopback with real TLS, and a real PostgreSQL 15 server the test starts itself
// (tests/support/postgres_server.hpp: initdb/pg_ctl as nobody, a free port, a throwaway
// directory). Nothing needs to be running beforehand.
#include <catch2/catch.hpp>

#include <signal.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"
#include "tests/integration/veth_namespace.hpp"
#include "tests/support/postgres_server.hpp"

using namespace warden;
using namespace warden::test;

namespace {

int64_t pg_scalar(const std::string& uri_db, const std::string& sql) {
  auto out = shared_postgres().psql(sql, uri_db);
  return std::stoll(out.empty() ? "-1" : out);
}

std::string database_name(const std::string& uri) {
  return uri.substr(uri.rfind('/') + 1);
}

// A collector's config: the shared database and a quick heartbeat (leadership moves in seconds).
std::vector<std::string> on_database(const TempDir& dir, const std::string& name,
                                     const std::string& uri) {
  auto conf = dir / (name + ".conf");
  write_file(conf, "database = " + uri + "\ncluster_heartbeat_seconds = 1\n");
  return {"--config", conf.string()};
}

// The collectors of one fleet share its CA: copied before the second one first starts.
void share_ca(const CollectorProcess& from, const std::filesystem::path& to_data_dir) {
  std::filesystem::create_directories(to_data_dir);
  std::filesystem::permissions(to_data_dir, std::filesystem::perms::owner_all);
  for (const char* f : {"ca.crt", "ca.key"})
    files::write_atomic(to_data_dir / f, files::read(from.data_dir() / f), 0600);
}

bool log_says(const CollectorProcess& c, const std::string& text) {
  return c.log().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a collector on PostgreSQL runs the whole round and keeps it across a restart",
          "[postgresql]") {
  TempDir dir;
  auto uri = shared_postgres().create_database();
  auto db = database_name(uri);
  CollectorProcess collector(dir / "collector", on_database(dir, "c", uri));  // started
  CHECK(log_says(collector, "compliance database: " + uri));
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["expected"] == 1);
  CHECK(sweep["answered"] == 1);
  CHECK(pg_scalar(db, "SELECT count(*) FROM reports") >= 1);
  CHECK(pg_scalar(db, "SELECT count(*) FROM latest_results") > 5);
  CHECK(pg_scalar(db,
                  "SELECT count(*) FROM host_facts WHERE facts_json->'host'->>'hostname' "
                  "IS NOT NULL") == 1);
  auto findings = collector.ctl_json({"findings"});
  CHECK(findings.size() > 5);

  // Restarted, the collector finds everything where it was; the agent comes back.
  collector.stop();
  collector.start();
  REQUIRE(collector.wait_online(1));
  auto hosts = collector.ctl_json({"hosts"});
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0]["department"] == "Finance");
  CHECK(collector.ctl_json({"findings"}).size() == findings.size());
  // backup copies an embedded database only: on PostgreSQL it says what to use instead.
  auto backup =
      run({binary("warden-collector").string(), "--config", (dir / "c.conf").string(), "backup",
           "--data-dir", collector.data_dir().string(), "--output", (dir / "b").string()});
  CHECK(backup.exit_code == 1);
  CHECK(backup.err.find("pg_dump") != std::string::npos);
}

TEST_CASE("two collectors on one PostgreSQL serve one fleet: sweeps, failover, leadership",
          "[postgresql]") {
  TempDir dir;
  auto uri = shared_postgres().create_database();
  auto db = database_name(uri);
  CollectorProcess a(dir / "a", on_database(dir, "a", uri));  // started
  share_ca(a, dir / "b" / "collector");
  CollectorProcess b(dir / "b", on_database(dir, "b", uri));
  REQUIRE(b.data_dir() == dir / "b" / "collector");
  REQUIRE(wait_for([&] { return log_says(a, "now leads the fleet"); }));
  CHECK_FALSE(log_says(b, "now leads the fleet"));
  CHECK(a.fingerprint() == b.fingerprint());

  // One agent enrolls at B (certificates are issued on any member), one at A; each lists both.
  AgentProcess one(dir / "one", b), two(dir / "two", a);
  one.collector_addresses = b.address() + "," + a.address();
  two.collector_addresses = a.address() + "," + b.address();
  REQUIRE(one.enroll(a.create_token("Finance")).exit_code == 0);
  REQUIRE(two.enroll(b.create_token("HR")).exit_code == 0);
  one.start({"--no-startup-sweep"});
  two.start({"--no-startup-sweep"});
  // Each collector counts the agents of both.
  REQUIRE(a.wait_online(2));
  REQUIRE(b.wait_online(2));
  CHECK(pg_scalar(db, "SELECT count(DISTINCT collector_id) FROM agent_sessions") == 2);
  // `status` names the members: two live ones, exactly one leading (A), one agent each.
  auto members = [](const CollectorProcess& c) { return c.ctl_json({"status"})["collectors"]; };
  REQUIRE(wait_for([&] {
    auto m = members(a);
    return m.size() == 2 && m[0]["leader"] != m[1]["leader"];
  }));
  for (const auto& m : members(b)) {
    CHECK(m["agents"] == 1);
    CHECK(m["leader"] == (m["address"] == a.address()));
    CHECK(m["answering"] == (m["address"] == b.address()));
  }

  // A sweep started on A reaches the agent on B too, and its progress counts both.
  auto sweep = a.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["expected"] == 2);
  CHECK(sweep["answered"] == 2);
  CHECK(log_says(b, "from another collector: asked 1 agents connected here"));
  // And a policy set on B reaches the agent on A at once.
  auto applied = [](const AgentProcess& agent) {
    size_t n = 0, at = 0;
    auto log = agent.log();
    while ((at = log.find("applied policy version", at)) != std::string::npos) ++n, ++at;
    return n;
  };
  auto before = applied(two);
  REQUIRE(b.ctl({"policy", "set", "--department", "HR", "antivirus.signature_max_age_days=3"})
              .exit_code == 0);
  CHECK(wait_for([&] { return applied(two) > before; }));

  // A dies without a word: its agent fails over to B, B takes the lead, nothing is lost or doubled.
  a.stop(SIGKILL);
  REQUIRE(wait_for([&] { return log_says(b, "now leads the fleet"); }, std::chrono::seconds(20)));
  REQUIRE(b.wait_online(2, std::chrono::seconds(30)));
  // A is gone from the members once its heartbeat is six beats old; B leads.
  REQUIRE(wait_for([&] { return members(b).size() == 1; }, std::chrono::seconds(20)));
  CHECK(members(b)[0]["leader"] == true);
  CHECK(members(b)[0]["agents"] == 2);
  auto after = b.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(after["expected"] == 2);
  CHECK(after["answered"] == 2);
  REQUIRE(wait_for([&] { return two.outbox_depth() == 0 && one.outbox_depth() == 0; }));
  CHECK(pg_scalar(db, "SELECT count(*) FROM events WHERE kind = 'warden.rejected'") == 0);
  // Both agents run on this one machine, so they report the same addresses: the central check
  // finds the clash although each host reported to a different collector.
  CHECK(pg_scalar(db,
                  "SELECT count(*) FROM latest_results WHERE check_id = "
                  "'net.duplicate_address' AND status = 'fail'") == 2);
  // Every sequence number of each agent is stored exactly once: 1..max, no gap, no double.
  CHECK(pg_scalar(db,
                  "SELECT count(*) FROM (SELECT host_id, max(seq) - count(*) AS gap FROM ("
                  "SELECT host_id, seq FROM reports UNION ALL SELECT host_id, seq FROM events "
                  "WHERE seq > 0) s GROUP BY host_id) g WHERE gap <> 0") == 0);
  // And the host's committed sequence is the newest message stored, a report or an event (an
  // agent's last message may be an event: comparing with reports alone failed when it was).
  CHECK(pg_scalar(db,
                  "SELECT count(*) FROM hosts h WHERE last_seq <> (SELECT max(seq) FROM ("
                  "SELECT seq FROM reports r WHERE r.host_id = h.id UNION ALL SELECT seq FROM "
                  "events e WHERE e.host_id = h.id AND e.seq > 0) s)") == 0);
}

TEST_CASE("a network partition between the collector and PostgreSQL loses nothing",
          "[postgresql][netns]") {
  // The database in a network namespace of its own, reached over a veth pair; the test cuts the
  // link and restores it.
  VethNamespace link("wpg", 7);
  PostgresServer server({link.name(), link.there()});
  auto uri = server.create_database();
  auto db = database_name(uri);
  auto count = [&](const std::string& sql) { return std::stoll(server.psql(sql, db)); };

  TempDir dir;
  CollectorProcess collector(dir / "collector", on_database(dir, "c", uri));
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  REQUIRE(collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"})["answered"] == 1);
  auto reports_before = count("SELECT count(*) FROM reports");

  // Cut. The agent restarts meanwhile and sweeps at start: its report cannot be committed, so it
  // must stay in its outbox (never acknowledged) until the database is back.
  link.cut();
  agent.stop();
  agent.start();
  std::this_thread::sleep_for(std::chrono::seconds(25));  // past tcp_user_timeout (20 s)
  CHECK(collector.running());                             // a partition is not a reason to exit
  CHECK(agent.outbox_depth() >= 1);
  link.restore();

  // Restored: the collector reconnects by itself; the report arrives exactly once.
  CHECK(wait_for([&] { return agent.outbox_depth() == 0; }, std::chrono::seconds(90)));
  CHECK(count("SELECT count(*) FROM reports") == reports_before + 1);
  CHECK(count("SELECT count(*) FROM events WHERE kind = 'warden.rejected'") == 0);
  CHECK(collector.log().find("not committed") != std::string::npos);  // it did retry
}
