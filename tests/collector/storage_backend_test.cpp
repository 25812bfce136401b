// The storage seam's connection on the backend under test
// (tests/collector/database_under_test.hpp): values round-trip exactly, failures are classified the
// same way on SQLite and PostgreSQL, a transaction that is not committed leaves nothing, and
// (PostgreSQL) a server restart costs a retry, never a message.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <limits>

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/storage/postgres/postgres_database.hpp"
#include "collector/storage/schema.hpp"
#include "tests/collector/database_under_test.hpp"

using namespace warden;
using namespace warden::collector;

namespace {

std::unique_ptr<storage::Connection> fresh(test::TempDir& dir) {
  auto db = test::open_database(test::fresh_database(dir));
  db->exec(test::kOnPostgresql
               ? "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, blob BYTEA, "
                 "flag BOOLEAN NOT NULL DEFAULT FALSE, ratio DOUBLE PRECISION, doc JSON)"
               : "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, blob BLOB, "
                 "flag INTEGER NOT NULL DEFAULT 0, ratio REAL, doc TEXT)");
  return db;
}

}  // namespace

TEST_CASE("placeholders become PostgreSQL's, outside literals and comments") {
  using storage::postgres_placeholders;
  CHECK(postgres_placeholders("SELECT ?, ?") == "SELECT $1, $2");
  CHECK(postgres_placeholders("WHERE a = ?1 OR b = ?1 AND c = ?12") ==
        "WHERE a = $1 OR b = $1 AND c = $12");
  CHECK(postgres_placeholders("SELECT '?', \"a?\" , ? -- what?\n, ?") ==
        "SELECT '?', \"a?\" , $1 -- what?\n, $2");
  CHECK(postgres_placeholders("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1");
  CHECK(postgres_placeholders("SELECT 'unterminated ?") == "SELECT 'unterminated ?");
}

TEST_CASE("database locations: SQLite paths and PostgreSQL URIs, passwords never shown") {
  storage::Location file("/var/lib/warden/warden.db");
  CHECK_FALSE(file.is_postgresql());
  storage::Location pg("postgresql://warden:s3cret@db.example:5432/warden?sslmode=verify-full");
  CHECK(pg.is_postgresql());
  CHECK(pg.display() == "postgresql://warden:***@db.example:5432/warden?sslmode=verify-full");
  CHECK(storage::Location("postgres://u@h/d?password=x&a=b").display() ==
        "postgres://u@h/d?password=***&a=b");
  CHECK_THROWS_WITH(storage::Location("postgresql://u@h"), Catch::Contains("names no database"));
  CHECK_THROWS_WITH(storage::Location("postgresql://u@h/"), Catch::Contains("names no database"));
  CHECK_THROWS_WITH(storage::Location(std::string("postgresql://u@h/d\nx")),
                    Catch::Contains("control character"));
}

TEST_CASE("values round-trip exactly through the seam") {
  test::TempDir dir;
  auto db = fresh(dir);
  const int64_t big = std::numeric_limits<int64_t>::max(),
                small = std::numeric_limits<int64_t>::min();
  const std::string bytes("\0\x01\xff\\x00'\"", 8);
  const std::string text = "办公室 PC-01 \"quoted\" 'single' \\ ?";
  auto ins = db->prepare("INSERT INTO t (id, name, blob, flag, ratio, doc) VALUES (?,?,?,?,?,?)");
  ins.bind(1, big).bind(2, text).bind_blob(3, bytes).bind(4, true).bind(5, 0.125);
  ins.bind(6, R"({"name":"火绒","n":1})");
  ins.run();
  CHECK(ins.rows_affected() == 1);
  ins.bind(1, small).bind(2, "").bind_null(3).bind(4, false).bind_null(5).bind_null(6);
  ins.run();

  auto st = db->prepare("SELECT id, name, blob, flag, ratio, doc FROM t ORDER BY id DESC");
  REQUIRE(st.step());
  CHECK(st.column_int(0) == big);
  CHECK(st.column_text(1) == text);
  CHECK(st.column_text(2) == bytes);
  CHECK(st.column_int(3) == 1);
  CHECK(st.column_double(4) == 0.125);
  CHECK(st.column_text(5) == R"({"name":"火绒","n":1})");  // kept as sent
  REQUIRE(st.step());
  CHECK(st.column_int(0) == small);
  CHECK(st.column_text(1).empty());
  CHECK(st.column_is_null(2));
  CHECK(st.column_int(3) == 0);
  CHECK(st.column_is_null(4));
  CHECK_FALSE(st.step());

  auto upd = db->prepare("UPDATE t SET flag = ?1 WHERE id <> ?2");
  upd.bind(1, true).bind(2, 0).run();
  CHECK(upd.rows_affected() == 2);
  // A statement built from optional parts: ?10 used, ?1 not (PostgreSQL must not take $10 for $1
  // and be left guessing $1's type).
  auto sparse = db->prepare("SELECT count(*) FROM t WHERE id <> CAST(?10 AS BIGINT)");
  sparse.bind(10, 7);
  REQUIRE(sparse.step());
  CHECK(sparse.column_int(0) == 2);
  sparse.reset();
  auto ret = db->prepare("INSERT INTO t (id, name) VALUES (?, ?) RETURNING id");
  ret.bind(1, 42).bind(2, "r");
  REQUIRE(ret.step());
  CHECK(ret.column_int(0) == 42);
}

TEST_CASE("failures are classified the same way on every backend") {
  test::TempDir dir;
  auto db = fresh(dir);
  db->prepare("INSERT INTO t (id, name) VALUES (1, 'a')").run();
  auto kind_of = [&](const std::string& sql) {
    try {
      db->prepare(sql).run();
    } catch (const storage::Error& e) {
      return e.kind();
    }
    FAIL("no error for " << sql);
    return storage::Error::Kind::other;
  };
  CHECK(kind_of("INSERT INTO t (id, name) VALUES (1, 'again')") ==
        storage::Error::Kind::constraint);
  CHECK(kind_of("INSERT INTO t (id) VALUES (2)") == storage::Error::Kind::constraint);  // NOT NULL
  CHECK(kind_of("SELECT nonsense FROM nowhere") == storage::Error::Kind::other);
  if constexpr (test::kOnPostgresql)  // the json column refuses what is not JSON
    CHECK(kind_of("INSERT INTO t (id, name, doc) VALUES (3, 'x', '{not json')") ==
          storage::Error::Kind::constraint);
}

TEST_CASE("an uncommitted transaction leaves nothing behind") {
  test::TempDir dir;
  auto db = fresh(dir);
  {
    storage::Transaction tx(*db);
    db->prepare("INSERT INTO t (id, name) VALUES (1, 'a')").run();
  }
  CHECK(db->scalar_int("SELECT count(*) FROM t") == 0);
  {
    storage::Transaction tx(*db);
    db->prepare("INSERT INTO t (id, name) VALUES (1, 'a')").run();
    tx.commit();
  }
  CHECK(db->scalar_int("SELECT count(*) FROM t") == 1);
}

TEST_CASE("the collector's schema is created once and recognised on restart") {
  test::TempDir dir;
  auto location = test::fresh_database(dir);
  { Store first(location); }
  Store again(location);  // migrating an up-to-date database is a no-op
  auto db = test::open_database(location);
  CHECK(storage::current_schema_version(*db) == storage::schema_version());
  CHECK(db->scalar_int("SELECT value FROM settings WHERE key = 'policy_revision'") == 0);
}

TEST_CASE("a database of the previous release (schema 6) is upgraded without losing rows") {
  test::TempDir dir;
  auto location = test::fresh_database(dir);
  // 0.4; 7 added the problem list, 8 the cascade (0.5), 9 the offline exchange (0.6): starting
  // at 6 runs every migration since.
  const int previous = 6;
  REQUIRE(storage::schema_version() == 9);
  {
    auto db = test::open_database(location);
    storage::migrate(*db, previous);
    REQUIRE(storage::current_schema_version(*db) == previous);
    CHECK_THROWS(db->scalar_int("SELECT count(*) FROM remediation_items"));  // not there yet
    CHECK_THROWS(db->scalar_int("SELECT count(*) FROM incident_details"));
    CHECK_THROWS(db->scalar_int("SELECT count(*) FROM units"));
    CHECK_THROWS(db->scalar_int("SELECT count(*) FROM exchange_peers"));
  }
  // Rows as the previous release wrote them, through its Store (the schema at `previous` is a
  // subset of today's: the Store of this build writes nothing the upgrade would need).
  auto db = test::open_database(location);
  db->exec(
      "INSERT INTO hosts (agent_id, hostname, department, cert_serial, cert_not_after, "
      "enrolled_at) VALUES ('a-1', 'pc-1', 'Finance', 's1', 0, 1), ('a-2', 'pc-2', 'HR', 's2', 0, "
      "2)");
  db->exec(
      "INSERT INTO latest_results (host_id, check_id, status, severity, summary, evidence_json, "
      "since, updated_at) SELECT id, 'av.running', 'fail', 'high', 'x', '{}', 1, 1 FROM hosts");
  db->exec(
      "INSERT INTO reports (host_id, seq, started_at, finished_at, received_at, findings_count, "
      "failing_count) SELECT id, 1, 1, 1, 1, 1, 1 FROM hosts");
  db->exec(
      "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, summary, "
      "severity) SELECT id, 'av.running', 'pass', 'fail', 5, 'x', 'critical' FROM hosts");
  storage::rebuild_query_summaries(*db);

  Store store(location);  // upgrades
  CHECK(storage::current_schema_version(*db) == storage::schema_version());
  CHECK(db->scalar_int("SELECT count(*) FROM hosts") == 2);
  CHECK(db->scalar_int("SELECT count(*) FROM reports") == 2);
  CHECK(db->scalar_int("SELECT count(*) FROM remediation_items") == 0);  // the new tables exist
  CHECK(db->scalar_int("SELECT count(*) FROM incident_details") == 0);
  CHECK(db->scalar_int("SELECT count(*) FROM units") == 0);
  CHECK(db->scalar_int("SELECT seq FROM upstream_state") == 0);  // a unit that never forwarded
  CHECK(db->scalar_int("SELECT count(*) FROM enrollment_tokens WHERE kind <> 'agent'") == 0);
  CHECK(db->scalar_int("SELECT count(*) FROM exchange_peers") == 0);
  CHECK(db->scalar_int("SELECT count(*) FROM foreign_usb") == 0);
  auto status = store.status({});
  CHECK(status.hosts_total == 2);
  CHECK(status.hosts_failing == 2);
  // The incidents of the previous version get their stable IDs, and can be filled in.
  auto incidents = store.list_incidents(0, 0, "");
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[0].id != incidents[1].id);
  collector::domain::IncidentUpdate fill;
  fill.id = incidents[0].id;
  fill.cause = "upgrade";
  CHECK(store.update_incident(fill, "admin").cause == "upgrade");
  // And the failing results take remediation items.
  auto item = store.set_remediation(store.resolve_host("pc-1")->host_id, "av.running", "install it",
                                    "Zhang", 4102444800000, "", "admin");
  CHECK(item.status == "open");
  CHECK(item.hostname == "pc-1");
}

#ifdef WARDEN_TEST_POSTGRESQL
TEST_CASE("PostgreSQL restarted mid-ingest: every report is committed exactly once") {
  test::TempDir dir;
  auto location = test::fresh_database(dir);
  Store store(location);
  auto token = store.create_token({"Finance", 3600, 1, "test"}).text;
  collector::domain::HostDescription info;
  info.hostname = "pc-1";
  auto agent = store.enroll(token, info, [](const std::string&, const std::string&) {
    return IssuedCertificate{"pem", "serial-1", 0};
  });
  int64_t host = store.find_host(agent.agent_id)->host_id;

  std::atomic<uint64_t> acked{0};
  IngestOptions options;
  options.max_batch_messages = 20;
  {
    Ingestor ingestor(location, options);
    for (uint64_t seq = 1; seq <= 400; ++seq) {
      auto m = std::make_shared<v1::AgentMessage>();
      m->set_seq(seq);
      auto* f = m->mutable_report()->add_findings();
      f->set_check("av.running");
      f->set_status(seq % 3 ? v1::STATUS_PASS : v1::STATUS_FAIL);
      f->set_summary("s");
      IngestItem item;
      item.host_id = host;
      item.message = std::move(m);
      item.received_ms = static_cast<int64_t>(seq);
      item.on_commit = [&](uint64_t s) {
        uint64_t prev = acked.load();
        while (s > prev && !acked.compare_exchange_weak(prev, s)) {
        }
      };
      ingestor.submit(std::move(item));
      if (seq == 150) test::shared_postgres().restart();  // connections cut mid-stream
    }
    REQUIRE(test::wait_for([&] { return acked.load() == 400; }, std::chrono::seconds(60)));
    CHECK(ingestor.stats().retries >= 1);  // the cut was seen, and retried
  }
  CHECK(test::scalar(location, "SELECT count(*) FROM reports") == 400);
  CHECK(test::scalar(location, "SELECT count(DISTINCT seq) FROM reports") == 400);
  CHECK(test::scalar(location, "SELECT last_seq FROM hosts") == 400);
  // The Store's own connections were cut too: one call may fail (transient), then it reconnects.
  try {
    store.status({});
  } catch (const storage::Error& e) {
    CHECK(e.transient());
  }
  CHECK(store.status({}).hosts_total == 1);
}
#endif
