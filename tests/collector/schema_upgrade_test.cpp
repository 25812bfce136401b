// Upgrading the collector keeps every row: a database written by the previous release (a real
// one, dumped to tests/fixtures/schema/) is migrated by opening it with this release's Store.
#include <catch2/catch.hpp>

#include "collector/database/store.hpp"
#include "collector/storage/schema.hpp"
#include "common/files.hpp"
#include "common/sqlite.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;
using storage::schema_version;
using test::scalar;

TEST_CASE("a 0.1.0 database is migrated to the current schema without losing rows") {
  test::TempDir dir;
  auto path = (dir / "warden.db").string();
  {
    sqlite::Connection db(path);
    db.exec(files::read(SCHEMA_FIXTURES "/warden-0.1.0.sql"));
  }
  REQUIRE(scalar(path, "PRAGMA user_version") == 2);
  const char* tables[] = {"hosts",       "latest_results", "status_history", "reports",   "ledger",
                          "usb_devices", "sweeps",         "sweep_targets",  "audit_log", "events"};
  std::map<std::string, int64_t> before;
  for (const char* t : tables) before[t] = scalar(path, std::string("SELECT count(*) FROM ") + t);
  CHECK(before["hosts"] == 1);
  CHECK(before["latest_results"] > 10);
  CHECK(before["ledger"] == 2);

  Store store(path);  // migrates
  CHECK(scalar(path, "PRAGMA user_version") == schema_version());
  for (const char* t : tables) {
    INFO(t);
    CHECK(scalar(path, std::string("SELECT count(*) FROM ") + t) == before[t]);
  }
  CHECK(scalar(path, "SELECT count(*) FROM hosts WHERE next_cert_serial = ''") == 1);
  // Migration 4: the query summaries start exact, and the facts moved to their own table.
  CHECK(scalar(path, "SELECT sum(hosts) FROM result_counts") == before["latest_results"]);
  CHECK(scalar(path,
               "SELECT count(*) FROM (SELECT check_id, status, count(*) AS n FROM latest_results "
               "GROUP BY 1, 2) g LEFT JOIN result_counts c USING (check_id, status) "
               "WHERE c.hosts IS NOT g.n") == 0);
  CHECK(scalar(path,
               "SELECT count(*) FROM hosts h WHERE failing_checks IS NOT coalesce((SELECT "
               "group_concat(check_id, ',') FROM (SELECT check_id FROM latest_results r WHERE "
               "r.host_id = h.id AND r.status = 'fail' ORDER BY check_id)), '')") == 0);
  CHECK(scalar(path, "SELECT count(*) FROM host_facts") == 1);
  CHECK(scalar(path, "SELECT sum(reports) FROM report_days") == before["reports"]);
  CHECK(scalar(path, "SELECT sum(findings) FROM report_days") ==
        scalar(path, "SELECT sum(findings_count) FROM reports"));
  CHECK(scalar(path, "SELECT count(*) FROM pragma_table_info('hosts') WHERE name = 'facts_json'") ==
        0);

  // The migrated data answers the usual questions.
  auto status = store.status({});
  CHECK(status.hosts_total == 1);
  CHECK(status.checks.size() > 10);
  auto hosts = store.list_hosts({}, {});
  REQUIRE(hosts.size() == 1);
  auto host = store.get_host(hosts[0].agent_id, {});
  REQUIRE(host);
  CHECK(static_cast<int64_t>(host->findings.size()) == before["latest_results"]);
  CHECK(store.list_ledger().size() == 2);
  CHECK(store.list_usb().size() == 1);
  auto identity = store.find_host(hosts[0].agent_id);
  REQUIRE(identity);
  CHECK_FALSE(identity->cert_serial.empty());
  CHECK(identity->next_cert_serial.empty());
}

TEST_CASE("a renewed certificate is next until first used, then current") {
  test::TempDir dir;
  Store store((dir / "w.db").string());
  auto t = store.create_token({"Finance", 3600, 1, "alice"});
  collector::domain::HostDescription info;
  info.hostname = "pc";
  auto enrolled = store.enroll(t.text, info, [](const std::string&, const std::string&) {
    return IssuedCertificate{"pem", "0a", 2000000000};
  });
  auto host = store.find_host(enrolled.agent_id);
  REQUIRE(host);
  store.set_next_certificate(host->host_id, {"pem2", "0b", 2100000000});
  host = store.find_host(enrolled.agent_id);
  CHECK(host->cert_serial == "0a");
  CHECK(host->next_cert_serial == "0b");
  store.promote_next_certificate(host->host_id);
  host = store.find_host(enrolled.agent_id);
  CHECK(host->cert_serial == "0b");
  CHECK(host->next_cert_serial.empty());
  store.promote_next_certificate(host->host_id);  // nothing pending: the current one stays
  CHECK(store.find_host(enrolled.agent_id)->cert_serial == "0b");
  auto audit = store.list_audit(0, 10);
  bool logged = false;
  for (const auto& a : audit) logged = logged || a.action == "certificate.renewed";
  CHECK(logged);
}
