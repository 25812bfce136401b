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
  auto t = store.create_token({"Finance", 3600, 2, "alice"});
  CHECK(t.text.size() == 16 + 1 + 43);
  {
    auto db = test::open_database(location);
    auto st = db->prepare("SELECT id, secret_hash FROM enrollment_tokens");
    REQUIRE(st.step());
    CHECK(st.column_text(0) == t.text.substr(0, 16));
    CHECK(st.column_text(1).size() == 32);  // a SHA-256, as bytes on both backends
    // The secret itself is nowhere in the database.
    CHECK(st.column_text(1).find(t.text.substr(17)) == std::string::npos);
  }
  collector::domain::HostDescription info;
  info.hostname = "pc";
  store.enroll(t.text, info, fake_issue);
  store.enroll(t.text, info, fake_issue);
  CHECK_THROWS_AS(store.enroll(t.text, info, fake_issue), EnrollmentRefused);
  CHECK(store.list_tokens().at(0).uses == 2);
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
  auto t = store.create_token({"Finance", 60, 5, "alice"});
  collector::domain::HostDescription info;
  info.hostname = "pc";
  clock.advance_ms(59'999);
  CHECK_NOTHROW(store.enroll(t.text, info, fake_issue));
  clock.advance_ms(1);
  CHECK_THROWS_WITH(store.enroll(t.text, info, fake_issue), Catch::Contains("expired"));
  CHECK(store.list_tokens().at(0).expires_at_ms == 1'800'000'060'000);
}

TEST_CASE("hosts resolve by agent ID or hostname, and revocation sticks") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  collector::domain::HostDescription info;
  info.hostname = "pc-42";
  auto h = store.enroll(store.create_token({"Finance", 3600, 1, "t"}).text, info, fake_issue);
  CHECK(store.resolve_host("pc-42")->agent_id == h.agent_id);
  CHECK(store.resolve_host(h.agent_id)->hostname == "pc-42");
  CHECK_FALSE(store.resolve_host("pc-43"));
  store.revoke_host("pc-42");
  // Another PC claims the name: while both are live the name is ambiguous, a conflict.
  auto h2 = store.enroll(store.create_token({"Finance", 3600, 1, "t"}).text, info, fake_issue);
  CHECK(store.resolve_host("pc-42")->agent_id == h2.agent_id);  // the revoked one steps aside
  CHECK(store.find_host(h.agent_id)->revoked);
  CHECK(store.status({}).hosts_revoked == 1);
}

TEST_CASE("department filters match the department and those below it, literally") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  for (auto dept : {"Bureau", "Bureau/Finance", "Bureau/Finance/Office 1", "Bureau_X", "Other"}) {
    collector::domain::HostDescription info;
    info.hostname = std::string("pc-") + dept;
    store.enroll(store.create_token({dept, 3600, 1, "t"}).text, info, fake_issue);
  }
  domain::HostFilter req;
  req.department = "Bureau/Finance";
  CHECK(store.list_hosts(req, {}).size() == 2);
  req.department = "Bureau";
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

TEST_CASE("the token repository lists, revokes and keeps each token's kind") {
  test::TempDir dir;
  TestClock clock(1'800'000'000'000);
  Store store(test::fresh_database(dir), clock);
  auto agent = store.create_token({"Finance", 60, 3, "alice"});
  auto unit = store.create_token({"Units", 120, 1, "bob", domain::TokenKind::unit});
  CHECK(agent.token.kind == domain::TokenKind::agent);
  CHECK(agent.text.substr(0, agent.token.id.size()) == agent.token.id);
  auto tokens = store.list_tokens();
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0] == agent.token);  // as created: read back field for field
  CHECK(tokens[1] == unit.token);
  CHECK(tokens[1].expires_at_ms == 1'800'000'120'000);
  auto revoked = store.revoke_token(unit.token.id);
  CHECK(revoked.revoked);
  CHECK(revoked.kind == domain::TokenKind::unit);
  CHECK(store.list_tokens()[1].revoked);
  CHECK_FALSE(store.list_tokens()[0].revoked);
  CHECK_THROWS_AS(store.create_token({"Finance", 0, 1, "alice"}), std::invalid_argument);
  CHECK_THROWS_AS(store.create_token({"Finance", 60, 0, "alice"}), std::invalid_argument);
}

TEST_CASE("the audit repository lists the newest entries first, from a time, up to a limit") {
  test::TempDir dir;
  TestClock clock(1'800'000'000'000);
  Store store(test::fresh_database(dir), clock);
  store.audit("alice", "token.create", {{"id", "a"}});
  clock.advance_ms(1000);
  store.audit("", "host.revoke", {{"hostname", "pc-1"}});
  clock.advance_ms(1000);
  store.audit("bob", "policy.set", nlohmann::json::object());
  auto all = store.list_audit(0, 10);
  REQUIRE(all.size() == 3);
  CHECK(all[0] == domain::AuditEntry{1'800'000'002'000, "bob", "policy.set", "{}"});
  CHECK(all[1].actor == "admin");  // no actor named: the admin
  CHECK(nlohmann::json::parse(all[1].details_json)["hostname"] == "pc-1");
  CHECK(all[2].action == "token.create");
  CHECK(store.list_audit(1'800'000'001'000, 10).size() == 2);
  auto newest = store.list_audit(0, 1);
  REQUIRE(newest.size() == 1);
  CHECK(newest[0].action == "policy.set");
}

TEST_CASE("the USB registry keeps drives, registers them again, and tells shared serials") {
  test::TempDir dir;
  TestClock clock(1'800'000'000'000);
  Store store(test::fresh_database(dir), clock);
  domain::UsbDrive drive{"0781", "5581", "4C530001", "classified", "张三", 0, "", "机要室"};
  auto first = store.register_usb(drive, "alice");
  CHECK(first.drive.registered_at_ms == 1'800'000'000'000);
  CHECK(first.drive.registered_by == "alice");
  CHECK(first.same_serial_models.empty());
  // The same serial on another model: registered too, and the other model is named.
  auto other = store.register_usb({"090c", "1000", "4C530001", "general", "李四", 0, "", ""}, "");
  CHECK(other.drive.registered_by == "admin");
  CHECK(other.same_serial_models == std::vector<std::string>{"0781:5581"});
  // Registered again: one row, the new class and owner.
  clock.advance_ms(5000);
  drive.classification = "general";
  drive.owner = "王五";
  store.register_usb(drive, "bob");
  auto drives = store.list_usb();
  REQUIRE(drives.size() == 2);
  CHECK(drives[0].owner == "李四");  // by owner, then serial
  CHECK(drives[1].classification == "general");
  CHECK(drives[1].registered_at_ms == 1'800'000'005'000);
  CHECK(drives[1].registered_by == "bob");
  CHECK(drives[1].note == "机要室");
  auto history = store.usb_history("4C530001");
  REQUIRE(history.registered.size() == 2);
  CHECK(history.registered[0].vendor_id == "0781");
  CHECK(history.sightings.empty());  // no host has reported it
  CHECK(store.usb_history("nothing").registered.empty());
  int registrations = 0;
  for (const auto& e : store.list_audit(0, 100)) registrations += e.action == "usb.register";
  CHECK(registrations == 3);
}

TEST_CASE("the ledger repository replaces, sets and removes entries, refusing a taken address") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  store.replace_ledger({{"pc-1", "10.0.0.1", "aa:bb:cc:dd:ee:01", "Finance", "张三", "general"},
                        {"pc-2", "10.0.0.2", "aa:bb:cc:dd:ee:02", "HR", "李四", "classified"}},
                       "alice", "ledger.csv", "UTF-8");
  auto ledger = store.list_ledger();
  REQUIRE(ledger.size() == 2);
  CHECK(ledger[1].classification == "classified");
  // A file replaces the whole ledger.
  store.replace_ledger({{"pc-3", "10.0.0.3", "aa:bb:cc:dd:ee:03", "HR", "王五", "general"}},
                       "alice", "again.csv", "GB18030");
  REQUIRE(store.list_ledger().size() == 1);
  LedgerEntry taken{"pc-4", "10.0.0.3", "aa:bb:cc:dd:ee:04", "HR", "赵六", "general"};
  try {
    store.set_ledger_entry(taken, "bob");
    FAIL("an address another host has must be refused");
  } catch (const Failure& f) {
    CHECK(f.error().kind == ErrorKind::conflict);
    CHECK(f.error().message.find("pc-3") != std::string::npos);
  }
  taken.ip = "10.0.0.4";
  CHECK(store.set_ledger_entry(taken, "bob") == taken);
  CHECK(store.list_ledger().size() == 2);
  store.remove_ledger_entry("pc-3", "bob");
  CHECK(store.list_ledger() == std::vector<LedgerEntry>{taken});
  try {
    store.remove_ledger_entry("pc-3", "bob");
    FAIL("removing an entry that is not there must fail");
  } catch (const Failure& f) {
    CHECK(f.error().kind == ErrorKind::not_found);
  }
  auto audit = store.list_audit(0, 10);
  REQUIRE(audit.size() == 4);  // the refused set and removal left none
  CHECK(audit[0].action == "ledger.remove");
  CHECK(audit[1].action == "ledger.set");
  CHECK(audit[3].action == "ledger.import");
  CHECK(nlohmann::json::parse(audit[2].details_json)["encoding"] == "GB18030");
}

TEST_CASE("the policy repository merges or replaces a department's overrides and inherits them") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  auto root = store.get_policy("");
  CHECK(root.document.empty());
  CHECK(root.effective["sweep"]["schedule"] == "0 9 * * 1-5");  // the built-in default
  CHECK(root.departments_with_overrides.empty());
  const auto before = root.revision;

  store.set_policy({"", {{"sweep", {{"spread_seconds", 600}}}}, false, "alice"});
  auto finance = store.set_policy(
      {"Bureau/Finance", {{"sweep", {{"schedule", "0 8 * * 1-5"}}}}, false, "alice"});
  CHECK(finance.department == "Bureau/Finance");
  CHECK(finance.document == nlohmann::json{{"sweep", {{"schedule", "0 8 * * 1-5"}}}});
  CHECK(finance.effective["sweep"]["schedule"] == "0 8 * * 1-5");
  CHECK(finance.effective["sweep"]["spread_seconds"] == 600);  // from the root
  CHECK(finance.revision == before + 2);
  CHECK(finance.departments_with_overrides == std::vector<std::string>{"", "Bureau/Finance"});
  // Below Finance, its override holds too.
  CHECK(store.get_policy("Bureau/Finance/Office 1").effective["sweep"]["schedule"] ==
        "0 8 * * 1-5");

  // Merged: the new key joins; replaced: only the new document is left.
  auto merged =
      store.set_policy({"Bureau/Finance", {{"sweep", {{"spread_seconds", 60}}}}, false, "bob"});
  CHECK(merged.document["sweep"]["schedule"] == "0 8 * * 1-5");
  CHECK(merged.document["sweep"]["spread_seconds"] == 60);
  auto replaced =
      store.set_policy({"Bureau/Finance", {{"sweep", {{"spread_seconds", 30}}}}, true, "bob"});
  CHECK(replaced.document == nlohmann::json{{"sweep", {{"spread_seconds", 30}}}});
  CHECK(replaced.effective["sweep"]["schedule"] == "0 9 * * 1-5");

  // An invalid result is refused and changes nothing.
  CHECK_THROWS_WITH(
      store.set_policy({"Bureau/Finance", {{"sweep", {{"schedule", "not cron"}}}}, false, "bob"}),
      Catch::Contains("cron expression"));
  CHECK_THROWS_AS(store.set_policy({"", nlohmann::json::array(), false, "bob"}),
                  std::invalid_argument);
  CHECK(store.get_policy("Bureau/Finance").document == replaced.document);
  CHECK(store.get_policy("").revision == replaced.revision);
  int changes = 0;
  for (const auto& e : store.list_audit(0, 100)) changes += e.action == "policy.set";
  CHECK(changes == 4);
}

TEST_CASE("the sweep repository lists sweeps newest first and tells who is missing") {
  test::TempDir dir;
  TestClock clock(1'800'000'000'000);
  Store store(test::fresh_database(dir), clock);
  std::vector<int64_t> ids;
  for (auto name : {"pc-b", "pc-a", "pc-c"}) {
    collector::domain::HostDescription info;
    info.hostname = name;
    auto h = store.enroll(store.create_token({"Finance", 3600, 1, "t"}).text, info, fake_issue);
    ids.push_back(store.find_host(h.agent_id)->host_id);
  }
  auto first = store.create_sweep("alice", "manual", "Finance", {ids[0], ids[1]}, {ids[2]});
  clock.advance_ms(1000);
  auto second = store.create_sweep("scheduler", "scheduled", "", {ids[2]}, {});
  auto sweeps = store.list_sweeps(10);
  REQUIRE(sweeps.size() == 2);
  CHECK(sweeps[0].id == second);
  CHECK(sweeps[0].kind == "scheduled");
  CHECK(sweeps[1].id == first);
  CHECK(sweeps[1].requested_by == "alice");
  CHECK(sweeps[1].department == "Finance");
  CHECK(sweeps[1].requested_at_ms == 1'800'000'000'000);
  CHECK(sweeps[1].expected == 2);
  CHECK(sweeps[1].answered == 0);
  CHECK(sweeps[1].deferred == 1);
  CHECK(store.list_sweeps(1).size() == 1);
  auto progress = store.get_sweep(first);
  REQUIRE(progress);
  CHECK(progress->sweep.expected == 2);
  CHECK(progress->missing == std::vector<std::string>{"pc-a", "pc-b"});  // by hostname
  CHECK(progress->answered_hosts.empty());
  CHECK(progress->deferred_answered == 0);
  CHECK(progress->failures.empty());
  CHECK_FALSE(store.get_sweep(second + 100));
}
