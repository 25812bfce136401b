#include <catch2/catch.hpp>

#include "collector/database/store.hpp"
#include "collector/storage/schema.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;

namespace {
IssuedCertificate fake_issue(const std::string&, const std::string&) {
  return {"pem", "01", 0};
}
}  // namespace

TEST_CASE("tokens are stored hashed and count their uses") {
  test::TempDir dir;
  auto location = test::fresh_database(dir);
  Store store(location);
  auto t = store.create_token("Finance", 3600, 2, "alice");
  CHECK(t.token().size() == 16 + 1 + 43);
  {
    auto db = test::open_database(location);
    auto st = db->prepare("SELECT id, secret_hash FROM enrollment_tokens");
    REQUIRE(st.step());
    CHECK(st.column_text(0) == t.token().substr(0, 16));
    CHECK(st.column_text(1).size() == 32);  // a SHA-256, as bytes on both backends
    // The secret itself is nowhere in the database.
    CHECK(st.column_text(1).find(t.token().substr(17)) == std::string::npos);
  }
  v1::HostInfo info;
  info.set_hostname("pc");
  store.enroll(t.token(), info, fake_issue);
  store.enroll(t.token(), info, fake_issue);
  CHECK_THROWS_AS(store.enroll(t.token(), info, fake_issue), EnrollmentRefused);
  CHECK(store.list_tokens().at(0).uses() == 2);
  try {
    store.revoke_token("0000000000000000");
    FAIL("revoking an unknown token must fail");
  } catch (const Failure& f) {
    CHECK(f.error().kind == ErrorKind::not_found);
  }
}

TEST_CASE("a token expires when its time has passed, on the store's clock (no sleeping)") {
  test::TempDir dir;
  TestClock clock(1'800'000'000'000);
  Store store(test::fresh_database(dir), clock);
  auto t = store.create_token("Finance", 60, 5, "alice");
  v1::HostInfo info;
  info.set_hostname("pc");
  clock.advance_ms(59'999);
  CHECK_NOTHROW(store.enroll(t.token(), info, fake_issue));
  clock.advance_ms(1);
  CHECK_THROWS_WITH(store.enroll(t.token(), info, fake_issue), Catch::Contains("expired"));
  CHECK(store.list_tokens().at(0).expires_at_ms() == 1'800'000'060'000);
}

TEST_CASE("hosts resolve by agent ID or hostname, and revocation sticks") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  v1::HostInfo info;
  info.set_hostname("pc-42");
  auto h = store.enroll(store.create_token("Finance", 3600, 1, "t").token(), info, fake_issue);
  CHECK(store.resolve_host("pc-42")->agent_id == h.agent_id);
  CHECK(store.resolve_host(h.agent_id)->hostname == "pc-42");
  CHECK_FALSE(store.resolve_host("pc-43"));
  store.revoke_host("pc-42");
  // Another PC claims the name: while both are live the name is ambiguous, a conflict.
  auto h2 = store.enroll(store.create_token("Finance", 3600, 1, "t").token(), info, fake_issue);
  CHECK(store.resolve_host("pc-42")->agent_id == h2.agent_id);  // the revoked one steps aside
  CHECK(store.find_host(h.agent_id)->revoked);
  CHECK(store.status({}).hosts_revoked() == 1);
}

TEST_CASE("department filters match the department and those below it, literally") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  for (auto dept : {"Bureau", "Bureau/Finance", "Bureau/Finance/Office 1", "Bureau_X", "Other"}) {
    v1::HostInfo info;
    info.set_hostname(std::string("pc-") + dept);
    store.enroll(store.create_token(dept, 3600, 1, "t").token(), info, fake_issue);
  }
  v1::ListHostsRequest req;
  req.set_department("Bureau/Finance");
  CHECK(store.list_hosts(req, {}).size() == 2);
  req.set_department("Bureau");
  CHECK(store.list_hosts(req, {}).size() == 3);  // not Bureau_X: '_' is not a wildcard
}

TEST_CASE("migrations run once and refuse a newer database") {
  test::TempDir dir;
  auto db = test::open_database(test::fresh_database(dir));
  CHECK(storage::current_schema_version(*db) == 0);
  storage::migrate(*db);
  storage::migrate(*db);  // idempotent
  CHECK(storage::current_schema_version(*db) == storage::schema_version());
  CHECK(db->scalar_int("SELECT count(*) FROM hosts") == 0);
  db->exec(test::kOnPostgresql ? "UPDATE schema_version SET version = 999"
                               : "PRAGMA user_version = 999");
  CHECK_THROWS_WITH(storage::migrate(*db), Catch::Contains("newer than this collector"));
}
