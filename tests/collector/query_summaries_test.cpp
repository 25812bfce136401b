// The summaries `status`, `hosts` and the report read (result_counts, hosts.failing_checks) are
// kept by triggers. After any mix of new results, status changes, revocations and deletions they
// must equal what a full recomputation from latest_results gives.
#include <catch2/catch.hpp>

#include <future>
#include <random>

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;
using test::scalar;

namespace {

// Rows where the kept summary differs from the recomputed one; 0 when exact.
int64_t count_mismatches(const std::string& db) {
  return scalar(db,
                "SELECT count(*) FROM ("
                " SELECT h.department, r.check_id, r.status, count(*) AS n FROM latest_results r "
                " JOIN hosts h ON h.id = r.host_id WHERE h.revoked = FALSE GROUP BY 1, 2, 3) g "
                "FULL JOIN (SELECT * FROM result_counts WHERE hosts <> 0) c "
                "USING (department, check_id, status) WHERE g.n IS DISTINCT FROM c.hosts") +
         scalar(db,
                std::string("SELECT count(*) FROM hosts h WHERE failing_checks IS DISTINCT FROM "
                            "coalesce((SELECT ") +
                    (test::kOnPostgresql ? "string_agg(check_id, ',' ORDER BY check_id)"
                                         : "group_concat(check_id, ',')") +
                    " FROM (SELECT check_id FROM latest_results r WHERE r.host_id = h.id AND "
                    "r.status = 'fail' ORDER BY check_id) f), '')");
}

const char* kChecks[] = {"av.running", "host.firewall", "patch.security_updates", "usb.cross_use"};
const v1::Status kStatuses[] = {v1::STATUS_PASS, v1::STATUS_FAIL, v1::STATUS_ERROR,
                                v1::STATUS_NOT_APPLICABLE};

}  // namespace

TEST_CASE("status counts and failing checks stay exact through changes, revocation and deletion") {
  test::TempDir dir;
  std::string db = test::fresh_database(dir);
  Store store(db);
  std::vector<std::pair<int64_t, std::string>> hosts;
  for (int i = 0; i < 12; ++i) {
    auto token = store.create_token({"Finance", 3600, 1, "test"}).text;
    collector::domain::HostDescription info;
    info.hostname = "pc-" + std::to_string(i);
    auto e = store.enroll(token, info, [&](const std::string&, const std::string&) {
      return IssuedCertificate{"pem", "serial-" + std::to_string(i), 0};
    });
    hosts.emplace_back(store.find_host(e.agent_id)->host_id, e.agent_id);
  }
  std::mt19937 rng(7);
  std::map<int64_t, uint64_t> seq;
  auto random_round = [&](Ingestor& ing) {
    std::atomic<int> left{static_cast<int>(hosts.size())};
    for (auto& [id, _] : hosts) {
      auto m = std::make_shared<v1::AgentMessage>();
      m->set_seq(++seq[id]);
      for (const char* check : kChecks) {
        if (rng() % 4 == 0) continue;  // not every check in every report
        auto* f = m->mutable_report()->add_findings();
        f->set_check(check);
        f->set_status(kStatuses[rng() % 4]);
        f->set_severity(v1::SEVERITY_HIGH);
        f->set_summary("s");
      }
      IngestItem item;
      item.host_id = id;
      item.message = std::move(m);
      item.on_commit = [&](uint64_t) { --left; };
      ing.submit(std::move(item));
    }
    REQUIRE(test::wait_for([&] { return left == 0; }));
  };

  Ingestor ing(db);
  for (int round = 0; round < 30; ++round) {
    random_round(ing);
    INFO("after round " << round);
    REQUIRE(count_mismatches(db) == 0);
  }
  CHECK(scalar(db, "SELECT sum(hosts) FROM result_counts") ==
        scalar(db, "SELECT count(*) FROM latest_results"));

  // Revoked hosts leave the counts; their results stay in the database.
  store.revoke_host(hosts[0].second);
  store.revoke_host(hosts[1].second);
  CHECK(count_mismatches(db) == 0);
  CHECK(scalar(db, "SELECT sum(hosts) FROM result_counts") <
        scalar(db, "SELECT count(*) FROM latest_results"));
  random_round(ing);  // a revoked host's late results do not count either
  CHECK(count_mismatches(db) == 0);

  // Moving hosts between departments moves their counts.
  for (size_t i = 2; i < 6; ++i) {
    collector::domain::HostChange move;
    move.host = hosts[i].second;
    move.department = i % 2 ? "HR" : "Finance/Office 2";
    store.set_host(move, {});
  }
  CHECK(count_mismatches(db) == 0);
  CHECK(scalar(db, "SELECT sum(hosts) FROM result_counts WHERE department = 'HR'") > 0);
  random_round(ing);
  CHECK(count_mismatches(db) == 0);
  // Revoked and moved in one statement (an operator repair): still exact.
  {
    auto c = test::open_database(db);
    c->exec("UPDATE hosts SET revoked = TRUE, department = 'Legal' WHERE id = " +
            std::to_string(hosts[2].first));
    c->exec("UPDATE hosts SET revoked = FALSE, department = 'Archive' WHERE id = " +
            std::to_string(hosts[0].first));
  }
  CHECK(count_mismatches(db) == 0);
  CHECK(scalar(db, "SELECT sum(hosts) FROM result_counts WHERE department = 'Legal'") == 0);

  // Deleting results (as an operator repair would) keeps them exact too.
  {
    auto c = test::open_database(db);
    c->exec("DELETE FROM latest_results WHERE check_id = 'host.firewall'");
  }
  CHECK(count_mismatches(db) == 0);
  CHECK(scalar(db, "SELECT count(*) FROM hosts WHERE failing_checks LIKE '%host.firewall%'") == 0);

  // What the admin commands show is what the summaries hold.
  auto status = store.status({});
  CHECK(status.hosts_total == hosts.size() - 2);  // two revoked, one back, one more revoked
  int64_t fail_total = 0;
  for (const auto& c : status.checks) fail_total += c.fail;
  CHECK(fail_total == scalar(db,
                             "SELECT count(*) FROM latest_results r JOIN hosts h ON h.id = "
                             "r.host_id WHERE h.revoked = FALSE AND r.status = 'fail'"));
  collector::domain::HostFilter failing;
  failing.failing_check = "av.running";
  auto listed = store.list_hosts(failing, {});
  CHECK(static_cast<int64_t>(listed.size()) ==
        scalar(db,
               "SELECT count(*) FROM latest_results WHERE check_id = 'av.running' AND "
               "status = 'fail'"));
  for (const auto& h : listed) {
    INFO(h.hostname);
    CHECK(std::find(h.failing.begin(), h.failing.end(), "av.running") != h.failing.end());
  }
}
