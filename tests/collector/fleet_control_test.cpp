// FleetControl against a real SQLite store, with no agents connected (all targets offline), so
// scheduling and scoping are checked deterministically.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "collector/fleet_control.hpp"
#include "common/duration.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;

namespace {
void enroll(Store& store, const std::string& dept, const std::string& name) {
  collector::domain::HostDescription info;
  info.hostname = name;
  store.enroll(store.create_token({dept, 3600, 1, "t"}).text, info,
               [&](const std::string&, const std::string&) {
                 return IssuedCertificate{"pem", name, 0};
               });
}
std::time_t utc(int y, int mo, int d, int h, int mi) {
  std::tm t{};
  t.tm_year = y - 1900, t.tm_mon = mo - 1, t.tm_mday = d, t.tm_hour = h, t.tm_min = mi;
  return timegm(&t);
}
}  // namespace

TEST_CASE("department sweeps cover the subtree and defer offline hosts") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  SessionRegistry registry;
  FleetControl fleet(store, registry);
  enroll(store, "Bureau/Finance", "f1");
  enroll(store, "Bureau/Finance/Office 1", "f2");
  enroll(store, "Bureau/HR", "h1");
  auto s = fleet.run_sweep("test", "manual", "Bureau/Finance");
  CHECK(s.asked == 0);
  CHECK(s.deferred == 2);
  auto all = fleet.run_sweep("test", "manual", "");
  CHECK(all.deferred == 3);
  CHECK(store.get_sweep(s.sweep_id)->sweep.deferred == 2);
}

TEST_CASE("schedules fire once per matching minute for the departments that have them") {
  setenv("TZ", "UTC", 1);
  tzset();
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  SessionRegistry registry;
  FleetControl fleet(store, registry);
  enroll(store, "Bureau/Finance", "f1");
  enroll(store, "Bureau/HR", "h1");
  // With no policy set, the built-in schedule sweeps everyone on working days at 09:00.
  auto by_default = fleet.run_due_schedules(utc(2026, 11, 24, 9, 0));
  REQUIRE(by_default.size() == 1);
  CHECK(store.get_sweep(by_default[0])->sweep.deferred == 2);
  CHECK(fleet.run_due_schedules(utc(2026, 11, 29, 9, 0)).empty());  // Sunday
  // The root turns scheduled sweeps off, Finance turns them back on.
  store.set_policy({.department = "",
                    .document = {{"sweep", {{"schedule", ""}}}},
                    .replace = false,
                    .actor = "test"});
  store.set_policy({.department = "Bureau/Finance",
                    .document = {{"sweep", {{"schedule", "0 9 * * 1-5"}, {"spread_seconds", 600}}}},
                    .replace = false,
                    .actor = "test"});
  CHECK(fleet.run_due_schedules(utc(2026, 11, 25, 8, 59)).empty());
  auto fired = fleet.run_due_schedules(utc(2026, 11, 25, 9, 0) + 5);
  REQUIRE(fired.size() == 1);
  auto sweep = store.get_sweep(fired[0]);
  CHECK(sweep->sweep.kind == "scheduled");
  CHECK(sweep->sweep.deferred == 1);                                     // only Finance's host
  CHECK(fleet.run_due_schedules(utc(2026, 11, 25, 9, 0) + 40).empty());  // same minute: once
  CHECK(fleet.run_due_schedules(utc(2026, 11, 28, 9, 0)).empty());       // Saturday
}

TEST_CASE("retention prunes only rows older than the cutoff, in batches") {
  test::TempDir dir;
  auto path = test::fresh_database(dir);
  Store store(path);
  enroll(store, "Finance", "f1");
  {
    auto db = test::open_database(path);
    auto ins = db->prepare(
        "INSERT INTO events (host_id, seq, kind, at, received_at, data_json) VALUES (1, ?, 'x', ?, "
        "?, '{}')");
    int64_t old_ms = now_ms() - 200LL * 86400000, recent = now_ms();
    for (int i = 1; i <= 5000; ++i) {
      ins.bind(1, i).bind(2, i <= 4500 ? old_ms : recent).bind(3, i <= 4500 ? old_ms : recent);
      ins.run();
    }
    // The trend's daily tallies age out with the reports they count.
    db->exec("INSERT INTO report_days VALUES (" + std::to_string(old_ms / 86400000) +
             ", 'Finance', 1, 15, 2), (" + std::to_string(recent / 86400000) +
             ", 'Finance', 1, 15, 0)");
  }
  int64_t cutoff = now_ms() - 180LL * 86400000;
  int64_t total = 0, n;
  int rounds = 0;
  while ((n = store.prune_before(cutoff, 1000)) > 0) {
    total += n;
    ++rounds;
  }
  CHECK(total == 4501);
  CHECK(rounds == 5);  // batches of 1000: never one long transaction
  auto db = test::open_database(path);
  CHECK(db->scalar_int("SELECT count(*) FROM events") == 500);
  auto days = db->prepare("SELECT day FROM report_days");
  REQUIRE(days.step());
  CHECK(days.column_int(0) == now_ms() / 86400000);
  CHECK_FALSE(days.step());
}
