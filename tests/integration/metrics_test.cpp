// The Prometheus endpoint answers real scrapes with the collector's live numbers.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;

namespace {

std::string scrape(int port) {
  auto r = run({"python3", "-c",
                "import sys, urllib.request; "
                "sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:" +
                    std::to_string(port) + "/metrics', timeout=10).read().decode())"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

double metric(const std::string& text, const std::string& name) {
  std::smatch m;
  std::regex line("(^|\\n)" + name + "(\\{[^}]*\\})? ([0-9.e+-]+)");
  if (!std::regex_search(text, m, line)) return -1;
  return std::stod(m[3]);
}

}  // namespace

TEST_CASE("the metrics endpoint reports agents, ingest, database size and sweep progress",
          "[metrics]") {
  TempDir dir;
  int port = free_port();
  CollectorProcess collector(dir.path(), {"--metrics-listen", "127.0.0.1:" + std::to_string(port)});
  REQUIRE(
      wait_for([&] { return collector.log().find("Prometheus metrics on") != std::string::npos; }));
  auto before = scrape(port);
  CHECK(metric(before, "warden_agents_connected") == 0);
  CHECK(metric(before, "warden_ingest_findings_total") == 0);
  if (test_backend() == TestBackend::sqlite)
    CHECK(metric(before, "warden_database_size_bytes") > 0);
  else  // PostgreSQL's size is its own exporter's (docs/operations.md), not a file to measure
    CHECK(metric(before, "warden_database_size_bytes") == -1);
  CHECK(before.find("# TYPE warden_ingest_findings_total counter") != std::string::npos);
  CHECK(before.find("warden_collector_info{version=\"") != std::string::npos);

  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  REQUIRE(sweep["answered"] == 1);

  auto after = scrape(port);
  CHECK(metric(after, "warden_agents_connected") == 1);
  CHECK(metric(after, "warden_ingest_messages_total") >= 1);
  CHECK(metric(after, "warden_ingest_findings_total") >= 10);
  CHECK(metric(after, "warden_ingest_queue_depth") == 0);
  CHECK(metric(after, "warden_sweep_last_id") == sweep["sweep_id"].get<double>());
  CHECK(metric(after, "warden_sweep_last_expected") == 1);
  CHECK(metric(after, "warden_sweep_last_answered") == 1);
}
