// Sweeps fan out to every connected agent and their results land in the database.
#include <signal.h>
#include <catch2/catch.hpp>

#include "tests/integration/fleet.hpp"

using namespace warden::test;

TEST_CASE("a sweep reaches every connected agent and lands in the database", "[sweep]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::string token = collector.create_token("Finance", "1h", 3);
  std::vector<std::unique_ptr<AgentProcess>> agents;
  for (int i = 0; i < 3; ++i) {
    agents.push_back(
        std::make_unique<AgentProcess>(dir / ("agent" + std::to_string(i)), collector));
    REQUIRE(agents.back()->enroll(token).exit_code == 0);
    agents.back()->start({"--no-startup-sweep"});
  }
  REQUIRE(collector.wait_online(3));

  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["expected"] == 3);
  CHECK(sweep["answered"] == 3);
  CHECK(sweep["missing"].empty());
  auto id = sweep["sweep_id"].get<int64_t>();
  CHECK(collector.scalar("SELECT count(*) FROM reports WHERE sweep_id = " + std::to_string(id)) ==
        3);
  CHECK(collector.scalar("SELECT count(DISTINCT host_id) FROM reports WHERE sweep_id = " +
                         std::to_string(id)) == 3);
  CHECK(collector.scalar("SELECT count(*) FROM sweep_targets WHERE answered_at IS NULL") == 0);
  // Each report carried the agent's facts (a JSON path: spelled differently by each backend).
  const std::string hostname = test_backend() == TestBackend::postgresql
                                   ? "facts_json->'host'->>'hostname'"
                                   : "json_extract(facts_json, '$.host.hostname')";
  CHECK(collector.scalar("SELECT count(*) FROM host_facts WHERE " + hostname + " IS NOT NULL") ==
        3);

  // With one agent stopped, the next sweep expects only the connected ones.
  agents[2]->stop();
  REQUIRE(collector.wait_online(2));
  auto second = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(second["expected"] == 2);
  CHECK(second["answered"] == 2);
  auto shown =
      collector.ctl_json({"sweep", "show", std::to_string(second["sweep_id"].get<int64_t>())});
  CHECK(shown["answered"] == 2);
}

TEST_CASE("sweep --wait reports the agents that did not answer in time", "[sweep]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  agent.signal(SIGSTOP);  // connected but frozen: it cannot answer
  auto r = collector.ctl({"--json", "sweep", "run", "--wait", "--timeout", "2s"});
  agent.stop(SIGKILL);
  CHECK(r.exit_code == 7);  // timed out: not every agent answered
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["expected"] == 1);
  CHECK(j["answered"] == 0);
  CHECK(j["missing"].size() == 1);
}
