// The ingest path against a real SQLite file.
#include <catch2/catch.hpp>

#include <future>

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/report/report_service.hpp"
#include "common/time_zone.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;
using test::scalar;

namespace {

int64_t add_host(Store& store, const std::string& name) {
  auto token = store.create_token({"Finance", 3600, 1, "test"}).text;
  collector::domain::HostDescription info;
  info.hostname = name;
  auto h = store.enroll(token, info, [](const std::string&, const std::string&) {
    return IssuedCertificate{"pem", "serial-" + std::to_string(rand()), 0};
  });
  return store.find_host(h.agent_id)->host_id;
}

std::shared_ptr<v1::AgentMessage> report(uint64_t seq, const std::string& check,
                                         v1::Status status) {
  auto m = std::make_shared<v1::AgentMessage>();
  m->set_seq(seq);
  auto* f = m->mutable_report()->add_findings();
  f->set_check(check);
  f->set_status(status);
  f->set_severity(v1::SEVERITY_HIGH);
  f->set_summary(std::string("s") + std::to_string(seq));
  m->mutable_report()->set_facts_json(R"({"n":)" + std::to_string(seq) + "}");
  return m;
}

// Submits and waits for the commit callback; returns the acknowledged seq.
uint64_t ingest(Ingestor& ing, int64_t host, std::shared_ptr<v1::AgentMessage> m,
                int64_t received_ms = 1) {
  std::promise<uint64_t> done;
  IngestItem item;
  item.host_id = host;
  item.message = std::move(m);
  item.received_ms = received_ms;
  item.on_commit = [&](uint64_t seq) { done.set_value(seq); };
  ing.submit(std::move(item));
  return done.get_future().get();
}

// A database with one enrolled host, as most of these tests start.
struct OneHost {
  test::TempDir dir;
  std::string db = test::fresh_database(dir);
  Store store{db};
  int64_t host = add_host(store, "pc-1");
};

}  // namespace

TEST_CASE_METHOD(OneHost,
                 "ingest keeps the latest result, records transitions only, and drops duplicates") {
  Ingestor ing(db);

  CHECK(ingest(ing, host, report(1, "av.running", v1::STATUS_PASS)) == 1);
  CHECK(ingest(ing, host, report(2, "av.running", v1::STATUS_PASS)) == 2);
  CHECK(ingest(ing, host, report(3, "av.running", v1::STATUS_FAIL)) == 3);
  CHECK(ingest(ing, host, report(4, "av.running", v1::STATUS_PASS)) == 4);
  // A resend of something already committed is acknowledged again, not applied again.
  CHECK(ingest(ing, host, report(3, "av.running", v1::STATUS_FAIL)) == 4);

  CHECK(scalar(db, "SELECT count(*) FROM reports") == 4);
  CHECK(scalar(db, "SELECT count(*) FROM status_history") ==
        3);  // NULL->pass, pass->fail, fail->pass
  CHECK(scalar(db,
               "SELECT count(*) FROM status_history WHERE from_status = 'pass' AND to_status = "
               "'fail'") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM latest_results WHERE status = 'pass'") == 1);
  CHECK(scalar(db, "SELECT last_seq FROM hosts WHERE id = " + std::to_string(host)) == 4);
  CHECK(scalar(db, "SELECT " + test::json_field("facts_json", "n") + " FROM host_facts") == 4);
  auto stats = ing.stats();
  CHECK(stats.duplicates == 1);
  CHECK(stats.messages == 4);
}

TEST_CASE("many agents' messages share batches and each is stored once") {
  test::TempDir dir;
  std::string db = test::fresh_database(dir);
  Store store(db);
  std::vector<int64_t> hosts;
  for (int i = 0; i < 20; ++i) hosts.push_back(add_host(store, "pc-" + std::to_string(i)));
  Ingestor ing(db);
  std::atomic<int> committed{0};
  for (uint64_t seq = 1; seq <= 50; ++seq)
    for (auto h : hosts) {
      IngestItem item;
      item.host_id = h;
      item.message =
          report(seq, "patch.security_updates", seq % 2 ? v1::STATUS_PASS : v1::STATUS_FAIL);
      item.on_commit = [&](uint64_t) { ++committed; };
      ing.submit(std::move(item));
    }
  REQUIRE(test::wait_for([&] { return committed == 1000; }));
  CHECK(scalar(db, "SELECT count(*) FROM reports") == 1000);
  CHECK(scalar(db, "SELECT count(*) FROM status_history") == 1000);  // every report flips
  CHECK(ing.stats().batches < 1000);  // batched, not a transaction per message
}

TEST_CASE_METHOD(OneHost, "a rejected message is recorded with its reason and acknowledged") {
  Ingestor ing(db);
  std::promise<uint64_t> done;
  IngestItem item;
  item.host_id = host;
  item.message = report(7, "x", v1::STATUS_PASS);
  item.rejected_reason = "too big";
  item.on_commit = [&](uint64_t s) { done.set_value(s); };
  ing.submit(std::move(item));
  CHECK(done.get_future().get() == 7);
  CHECK(scalar(db, "SELECT count(*) FROM events WHERE kind = 'warden.rejected' AND " +
                       test::json_field("data_json", "reason") + " = 'too big'") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM latest_results") == 0);
}

TEST_CASE_METHOD(OneHost, "facts are stored when they change, not with every report") {
  Ingestor ing(db);
  auto with_facts = [](uint64_t seq, const std::string& facts) {
    auto m = report(seq, "av.running", v1::STATUS_PASS);
    m->mutable_report()->set_facts_json(facts);
    return m;
  };
  auto submit = [&](std::shared_ptr<v1::AgentMessage> m, int64_t at) {
    return ingest(ing, host, std::move(m), at);
  };
  submit(with_facts(1, R"({"n":1})"), 100);
  submit(with_facts(2, R"({"n":1})"), 200);
  CHECK(scalar(db, "SELECT reported_at FROM host_facts") == 100);  // unchanged: not rewritten
  CHECK(scalar(db, "SELECT last_report_at FROM hosts") == 200);    // but the report counts
  submit(with_facts(3, R"({"n":2})"), 300);
  CHECK(scalar(db, "SELECT reported_at FROM host_facts") == 300);
  CHECK(scalar(db, "SELECT " + test::json_field("facts_json", "n") + " FROM host_facts") == 2);
  // A new writer (a restarted collector) knows what is stored without rewriting it.
  Ingestor again(db);
  CHECK(ingest(again, host, with_facts(4, R"({"n":2})"), 400) == 4);
  CHECK(scalar(db, "SELECT reported_at FROM host_facts") == 300);
  CHECK(scalar(db, "SELECT count(*) FROM host_facts") == 1);
}

TEST_CASE(
    "a message the database refuses is stored as rejected and the rest of its batch "
    "commits") {
  test::TempDir dir;
  std::string db = test::fresh_database(dir);
  Store store(db);
  int64_t host = add_host(store, "pc-1");
  {
    // Make the database itself refuse: seq 2's report, and for seq 3 even its rejection.
    auto c = test::open_database(db);
    if constexpr (test::kOnPostgresql)
      c->exec(
          "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "RAISE check_violation USING MESSAGE = 'refused by test'; END $$;"
          "CREATE TRIGGER refuse_report BEFORE INSERT ON reports FOR EACH ROW "
          "WHEN (NEW.seq IN (2, 3)) EXECUTE FUNCTION refuse();"
          "CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW "
          "WHEN (NEW.seq = 3) EXECUTE FUNCTION refuse();");
    else
      c->exec(
          "CREATE TRIGGER refuse_report BEFORE INSERT ON reports WHEN NEW.seq IN (2, 3) "
          "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;"
          "CREATE TRIGGER refuse_event BEFORE INSERT ON events WHEN NEW.seq = 3 "
          "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
  }
  std::atomic<uint64_t> acked{0};
  {
    Ingestor ing(db);
    for (uint64_t seq = 1; seq <= 4; ++seq) {
      IngestItem item;
      item.host_id = host;
      item.message = report(seq, "av.running", seq % 2 ? v1::STATUS_PASS : v1::STATUS_FAIL);
      item.on_commit = [&](uint64_t s) { acked = std::max(acked.load(), s); };
      ing.submit(std::move(item));
    }
  }  // the destructor drains the queue
  CHECK(acked == 4);
  auto c = test::open_database(db);
  auto seqs = c->prepare("SELECT seq FROM reports ORDER BY seq");
  std::string got;
  while (seqs.step())
    got += std::string(got.empty() ? "" : ",") + std::to_string(seqs.column_int(0));
  CHECK(got == "1,4");
  CHECK(scalar(db, "SELECT count(*) FROM events WHERE kind = 'warden.rejected' AND seq = 2 AND " +
                       test::json_field("data_json", "reason") +
                       " LIKE 'database refused the message: %'") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM events WHERE seq = 3") == 0);  // skipped
  CHECK(scalar(db, "SELECT last_seq FROM hosts") == 4);
  // What seq 2 reported was rolled back with it: only 1 (pass) and 4 (fail) made history.
  CHECK(scalar(db, "SELECT count(*) FROM status_history") == 2);
  CHECK(scalar(db,
               "SELECT count(*) FROM status_history WHERE from_status = 'pass' AND "
               "to_status = 'fail'") == 1);
}

TEST_CASE_METHOD(OneHost, "reports are tallied per day and department for the report's trend") {
  Ingestor ing(db);
  const int64_t day = 86400000, d0 = 20000 * day;
  auto at = [&](uint64_t seq, int64_t when, v1::Status status) {
    return ingest(ing, host, report(seq, "av.running", status), when);
  };
  at(1, d0 + 10, v1::STATUS_FAIL);
  at(2, d0 + day - 1, v1::STATUS_PASS);
  at(3, d0 + day, v1::STATUS_FAIL);  // the next UTC day
  auto c = test::open_database(db);
  auto st = c->prepare(
      "SELECT day, department, reports, findings, failing FROM report_days ORDER BY day");
  REQUIRE(st.step());
  CHECK(st.column_int(0) == 20000);
  CHECK(st.column_text(1) == "Finance");
  CHECK(st.column_int(2) == 2);
  CHECK(st.column_int(3) == 2);
  CHECK(st.column_int(4) == 1);
  REQUIRE(st.step());
  CHECK(st.column_int(0) == 20001);
  CHECK(st.column_int(2) == 1);
  CHECK(st.column_int(4) == 1);
  CHECK_FALSE(st.step());
}

TEST_CASE_METHOD(OneHost, "report days start at local midnight in the collector's time zone") {
  auto sh = TimeZone::named("Asia/Shanghai").value();
  IngestOptions options;
  options.time_zone = sh;
  store.count_report_days_in(sh);
  {
    Ingestor ing(db, options);
    const int64_t dec1 = sh.start_of({2026, 12, 1});  // 2026-11-30T16:00:00Z
    ingest(ing, host, report(1, "av.running", v1::STATUS_FAIL), dec1 - 60000);  // 23:59 local
    ingest(ing, host, report(2, "av.running", v1::STATUS_PASS), dec1 + 60000);  // 00:01 local
  }
  auto days = [&] {
    std::vector<std::pair<int64_t, int64_t>> out;  // (day, failing)
    auto c = test::open_database(db);
    auto st = c->prepare("SELECT day, failing FROM report_days ORDER BY day");
    while (st.step()) out.emplace_back(st.column_int(0), st.column_int(1));
    return out;
  };
  const int64_t nov30 = day_number(CivilDate{2026, 11, 30});
  CHECK(days() == std::vector<std::pair<int64_t, int64_t>>{{nov30, 1}, {nov30 + 1, 0}});

  // November's report holds the 23:59 report, December's the 00:01 one.
  TestClock clock(sh.start_of({2026, 12, 2}));
  ReportService reports(store, clock);
  auto nov = reports.build(ReportRequest::dates("2026-11-01", "2026-12-01"), {});
  REQUIRE(nov.trend_size() == 1);
  CHECK(nov.trend(0).date() == "2026-11-30");
  CHECK(nov.trend(0).failing() == 1);
  auto dec = reports.build(ReportRequest::dates("2026-12-01", "2026-12-02"), {});
  REQUIRE(dec.trend_size() == 1);
  CHECK(dec.trend(0).date() == "2026-12-01");
  CHECK(dec.time_zone() == "Asia/Shanghai");

  // Another zone counts the kept reports again: in UTC both fell on 30 November.
  store.count_report_days_in(TimeZone::utc());
  CHECK(days() == std::vector<std::pair<int64_t, int64_t>>{{nov30, 1}});
}

TEST_CASE_METHOD(OneHost,
                 "what was ingested reads back through the findings and event repository") {
  Ingestor ing(db);
  int64_t other = add_host(store, "pc-0");
  ingest(ing, host, report(1, "av.running", v1::STATUS_FAIL), 1000);
  ingest(ing, other, report(1, "av.running", v1::STATUS_PASS), 1000);
  ingest(ing, host, report(2, "patch.security_updates", v1::STATUS_PASS), 2000);
  for (auto [seq, kind] : {std::pair<uint64_t, const char*>{3, "usb.attached"},
                           {4, "usb_attached"},
                           {5, "usb.attached.again"}}) {
    auto m = std::make_shared<v1::AgentMessage>();
    m->set_seq(seq);
    m->mutable_event()->set_kind(kind);
    m->mutable_event()->set_at_ms(static_cast<int64_t>(seq) * 1000);
    m->mutable_event()->set_data_json(R"({"serial":"S1"})");
    ingest(ing, host, m, static_cast<int64_t>(seq) * 1000);
  }

  auto all = store.list_findings({});
  REQUIRE(all.size() == 3);
  CHECK(all[0].hostname == "pc-0");  // by hostname, then check
  CHECK(all[1].check == "av.running");
  CHECK(all[1].status == Status::fail);
  CHECK(all[1].severity == Severity::high);
  CHECK(all[1].summary == "s1");
  CHECK(all[1].since_ms == 1000);
  CHECK(all[2].check == "patch.security_updates");
  auto failing = store.list_findings({"", Status::fail});
  REQUIRE(failing.size() == 1);
  CHECK(failing[0].hostname == "pc-1");
  CHECK(store.list_findings({"av.running", std::nullopt}).size() == 2);
  CHECK(store.list_findings({"av.running", Status::error}).empty());

  auto events = store.list_events({0, "", "", 10});
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == "usb.attached.again");  // newest first
  CHECK(events[2].hostname == "pc-1");
  CHECK(events[2].at_ms == 3000);
  CHECK(events[2].received_at_ms == 3000);
  CHECK(nlohmann::json::parse(events[2].data_json)["serial"] == "S1");
  // A kind covers those below it, literally: '_' is not a wildcard.
  auto usb = store.list_events({0, "usb.attached", "", 10});
  REQUIRE(usb.size() == 2);
  CHECK(usb[1].kind == "usb.attached");
  CHECK(store.list_events({0, "usb", "pc-1", 10}).size() == 2);
  CHECK(store.list_events({0, "usb", "pc-0", 10}).empty());
  CHECK(store.list_events({4000, "", "", 10}).size() == 2);
  CHECK(store.list_events({0, "", "", 1}).size() == 1);
}
