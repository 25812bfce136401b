// The cascade's storage (collector/cascade/cascade_store.hpp) on both backends: what the level
// above keeps of a unit's batches (once, in order, forgetting on a full resend) and what a unit
// sends (only what changed, the same batch again until acknowledged, its units' hosts relayed).
#include <catch2/catch.hpp>

#include "collector/cascade/cascade_store.hpp"
#include "collector/cascade/unit_batch_validator.hpp"
#include "collector/database/store.hpp"
#include "collector/report/report_service.hpp"
#include "tests/collector/database_under_test.hpp"

using namespace warden;
using namespace warden::collector;
using namespace warden::test;

namespace {

constexpr int64_t kNow = 1796300000000;

IssuedCertificate fake_certificate(const std::string&, const std::string&) {
  return {"certificate", "serial-1", 0};  // the service issues real ones (integration tests)
}

UnitIdentity enrol(Store& store, CascadeStore& cascade, const std::string& name) {
  auto token =
      store.create_token({"Units", 3600, 1, "test", collector::domain::TokenKind::unit}).text;
  auto unit = cascade.enroll_unit(token, name, fake_certificate);
  return *cascade.find_unit(unit.unit_id);
}

v1::UnitHost host(const std::string& agent_id,
                  std::vector<std::pair<std::string, std::string>> checks,
                  const std::string& origin = "") {
  v1::UnitHost h;
  h.set_origin(origin);
  h.set_agent_id(agent_id);
  h.set_hostname("pc-" + agent_id);
  h.set_department("Office");
  h.set_last_report_ms(kNow);
  h.set_ip("10.0.0.1");
  for (auto& [check, status] : checks) {
    auto* c = h.add_checks();
    c->set_check(check);
    c->set_status(status);
  }
  return h;
}

v1::UnitBatch batch(uint64_t seq, std::vector<v1::UnitHost> hosts, int incidents = 0) {
  v1::UnitBatch b;
  b.set_seq(seq);
  auto* self = b.add_members();
  self->set_name("county");
  self->set_ledger_hosts(10);
  for (auto& h : hosts) *b.add_hosts() = h;
  for (int i = 1; i <= incidents; ++i) {
    auto* in = b.add_incidents();
    in->set_source_id(i);
    in->set_at_ms(kNow);
    in->set_agent_id("a-1");
    in->set_check("av.running");
  }
  return b;
}

collector::domain::UnitSummary only_unit(CascadeStore& c) {
  auto units = c.list_units();
  REQUIRE(units.size() == 1);
  return units[0];
}

void add_host(const std::string& location, int64_t id, const std::string& agent_id,
              const std::string& status) {
  auto db = open_database(location);
  db->prepare(
        "INSERT INTO hosts (id, agent_id, hostname, department, os_name, owner, cert_serial, "
        "cert_not_after, enrolled_at, last_report_at) VALUES (?,?,?,'Office','UOS 20','Li',"
        "'s',0,?,?)")
      .bind(1, id)
      .bind(2, agent_id)
      .bind(3, "pc-" + agent_id)
      .bind(4, kNow)
      .bind(5, kNow)
      .run();
  db->prepare(
        "INSERT INTO latest_results (host_id, check_id, status, severity, summary, "
        "evidence_json, since, updated_at) VALUES (?, 'av.running', ?, 'critical', '', '{}', ?, ?)")
      .bind(1, id)
      .bind(2, status)
      .bind(3, kNow)
      .bind(4, kNow)
      .run();
}

}  // namespace

TEST_CASE("the level above applies a unit's batch once, in order, and forgets on a full resend",
          "[cascade]") {
  TempDir dir;
  auto location = fresh_database(dir);
  TestClock clock(kNow);
  Store store(storage::Location(location), clock);
  CascadeStore cascade(storage::Location(location), clock);
  auto unit = enrol(store, cascade, "county");
  CHECK(unit.name == "county");
  CHECK(unit.cert_serial == "serial-1");

  auto first = batch(1, {host("a-1", {{"av.running", "fail"}, {"fw", "pass"}})}, 2);
  auto ack = cascade.apply(unit, first);
  CHECK(ack.applied_seq() == 1);
  CHECK_FALSE(ack.resync());
  CHECK(ack.duplicate_incidents() == 0);
  auto s = only_unit(cascade);
  CHECK(s.name == "county");
  CHECK(s.hosts == 1);
  CHECK(s.failing == 1);
  CHECK(s.ledger_hosts == 10);
  CHECK(s.reporting == 1);
  CHECK(s.compliance_rate == Approx(0.5));

  // The same batch again (its acknowledgement was lost): nothing changes, nothing counts twice.
  ack = cascade.apply(unit, first);
  CHECK_FALSE(ack.resync());
  CHECK(ack.duplicate_incidents() == 2);
  CHECK(scalar(location, "SELECT count(*) FROM unit_incidents") == 2);
  CHECK(only_unit(cascade).hosts == 1);

  // The next batch fixes the host; the first one arriving late cannot undo it.
  cascade.apply(unit, batch(2, {host("a-1", {{"av.running", "pass"}, {"fw", "pass"}})}));
  CHECK(only_unit(cascade).failing == 0);
  ack = cascade.apply(unit, first);
  CHECK(ack.resync());  // out of order: the unit is told to resend everything
  CHECK(only_unit(cascade).failing == 0);
  auto ref = cascade.resolve("county");
  auto status = cascade.unit_status(ref);
  REQUIRE(status.checks.size() == 2);
  CHECK(status.checks[0].check == "av.running");
  CHECK(status.checks[0].pass == 1);
  CHECK(status.checks[0].fail == 0);

  // A gap (this database restored from an older backup) asks for everything again.
  CHECK(cascade.apply(unit, batch(9, {})).resync());
  // A full batch replaces what the level above held.
  auto full = batch(10, {host("a-2", {{"fw", "fail"}})});
  full.set_full(true);
  CHECK_FALSE(cascade.apply(unit, full).resync());
  auto hosts = cascade.unit_hosts(ref, {});
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].agent_id == "a-2");
  CHECK(hosts[0].failing.size() == 1);
  // A host the unit no longer has.
  auto gone = batch(11, {});
  auto* g = gone.add_hosts();
  g->set_agent_id("a-2");
  g->set_removed(true);
  cascade.apply(unit, gone);
  CHECK(cascade.unit_hosts(ref, {}).empty());
  CHECK(scalar(location, "SELECT count(*) FROM unit_results") == 0);

  // A sweep asked of the unit rides on every acknowledgement until the unit reports it.
  auto request = cascade.request_sweep(ref, "admin");
  ack = cascade.apply(unit, batch(12, {}));
  REQUIRE(ack.sweep_requests_size() == 1);
  CHECK(ack.sweep_requests(0).id() == request);
  CHECK(only_unit(cascade).pending_sweeps == 1);
  auto answered = batch(13, {});
  auto* sw = answered.add_sweeps();
  sw->set_sweep_id(7);
  sw->set_targets(3);
  sw->set_upper_request_id(request);
  CHECK(cascade.apply(unit, answered).sweep_requests_size() == 0);
  CHECK(only_unit(cascade).pending_sweeps == 0);

  // The per-check counts the report reads follow every change: a revoked host leaves them, a
  // removed one too; they equal the results counted afresh.
  cascade.apply(unit, batch(14, {host("a-3", {{"fw", "fail"}, {"av.running", "pass"}}),
                                 host("a-4", {{"fw", "pass"}})}));
  auto revoked = host("a-4", {{"fw", "pass"}});
  revoked.set_revoked(true);
  cascade.apply(unit, batch(15, {revoked}));
  auto fw = [&] {
    auto now = cascade.unit_status(ref);
    for (const auto& c : now.checks)
      if (c.check == "fw") return std::make_pair(c.pass, c.fail);
    return std::make_pair(0u, 0u);
  };
  CHECK(fw() == std::make_pair(0u, 1u));
  CHECK(scalar(location, "SELECT sum(hosts) FROM unit_check_counts") ==
        scalar(location,
               "SELECT count(*) FROM unit_results r JOIN unit_hosts h ON h.unit_id = r.unit_id "
               "AND h.origin = r.origin AND h.agent_id = r.agent_id WHERE h.revoked = FALSE"));
  auto compliance = cascade.unit_compliance();
  REQUIRE(compliance.size() == 1);
  CHECK(compliance[0].checks.size() == 2);

  CHECK_THROWS_AS(cascade.resolve("elsewhere"), Failure);
  CHECK_THROWS_AS(cascade.resolve("county/below"), Failure);
}

TEST_CASE("a unit token enrols one unit under one name, an agent token none", "[cascade]") {
  TempDir dir;
  auto location = fresh_database(dir);
  Store store{storage::Location(location)};
  CascadeStore cascade{storage::Location(location)};
  auto agent_token = store.create_token({"Office", 3600, 1, "test"}).text;
  CHECK_THROWS_AS(cascade.enroll_unit(agent_token, "county", fake_certificate), EnrollmentRefused);
  auto token =
      store.create_token({"Units", 3600, 2, "test", collector::domain::TokenKind::unit}).text;
  collector::domain::HostDescription pc;
  pc.hostname = "pc";
  CHECK_THROWS_AS(store.enroll(token, pc, fake_certificate), EnrollmentRefused);
  cascade.enroll_unit(token, "county", fake_certificate);
  CHECK_THROWS_AS(cascade.enroll_unit(token, "county", fake_certificate), EnrollmentRefused);
}

TEST_CASE("a unit sends what changed, the same batch until acknowledged, and relays its units",
          "[cascade]") {
  TempDir dir;
  auto location = fresh_database(dir);
  TestClock clock(kNow);
  Store store(storage::Location(location), clock);
  CascadeStore cascade(storage::Location(location), clock);
  add_host(location, 1, "a-1", "fail");
  add_host(location, 2, "a-2", "pass");
  ForwardOptions options;
  options.unit_name = "city";

  auto p = cascade.next_batch(options, {"a-1"});
  CHECK(p.batch.seq() == 1);
  CHECK(p.batch.full());
  REQUIRE(p.batch.hosts_size() == 2);
  CHECK(p.batch.hosts(0).agent_id() == "a-1");
  CHECK(p.batch.hosts(0).online());
  CHECK(p.batch.hosts(0).os_name() == "UOS 20");
  CHECK(p.batch.hosts(0).owner() == "Li");
  CHECK(p.batch.hosts(0).checks(0).status() == "fail");
  CHECK_FALSE(p.batch.hosts(1).online());
  CHECK(validate_unit_batch(p.batch).empty());

  // Not acknowledged (the link fell): the same batch again.
  auto again = cascade.next_batch(options, {"a-1"});
  CHECK(again.batch.seq() == 1);
  CHECK(again.batch.hosts_size() == 2);
  v1::UnitAck ack;
  ack.set_applied_seq(1);
  cascade.acknowledge(again, ack);
  CHECK(cascade.acknowledged_seq() == 1);

  // Nothing changed: only the members go (the unit's sign of life).
  auto quiet = cascade.next_batch(options, {"a-1"});
  CHECK(quiet.batch.seq() == 2);
  CHECK_FALSE(quiet.batch.full());
  CHECK(quiet.batch.hosts_size() == 0);
  CHECK(quiet.batch.members_size() == 1);
  // A host goes offline, another's result changes: those two, nothing else.
  open_database(location)
      ->prepare("UPDATE latest_results SET status = 'fail' WHERE host_id = 2")
      .run();
  auto changed = cascade.next_batch(options, {});
  REQUIRE(changed.batch.hosts_size() == 2);
  ack.set_applied_seq(2);
  cascade.acknowledge(changed, ack);
  CHECK(cascade.next_batch(options, {}).batch.hosts_size() == 0);

  // Facts withheld from now on: every host goes again without them (the level above drops what
  // it had), with its results.
  options.send_facts = false;
  open_database(location)
      ->prepare("UPDATE latest_results SET status = 'pass' WHERE host_id = 1")
      .run();
  auto withheld = cascade.next_batch(options, {});
  REQUIRE(withheld.batch.hosts_size() == 2);
  for (const auto& h : withheld.batch.hosts()) {
    CHECK(h.os_name().empty());
    CHECK(h.owner().empty());
    CHECK(h.ip().empty());
  }
  CHECK(withheld.batch.hosts(0).checks(0).status() == "pass");
  options.send_facts = true;

  // A county below this city forwards a host: the city relays it with the county's path, and
  // the sweep the level above asks of the county goes down as the county's request.
  auto county = enrol(store, cascade, "county");
  cascade.apply(county, batch(1, {host("c-1", {{"av.running", "fail"}})}, 1));
  auto relayed = cascade.next_batch(options, {});
  bool seen = false;
  for (const auto& h : relayed.batch.hosts())
    if (h.agent_id() == "c-1") {
      seen = true;
      CHECK(h.origin() == "county");
      CHECK(h.checks(0).status() == "fail");
    }
  CHECK(seen);
  REQUIRE(relayed.batch.incidents_size() == 1);
  CHECK(relayed.batch.incidents(0).origin() == "county");
  CHECK(relayed.batch.members_size() == 2);
  CHECK(relayed.batch.members(1).origin() == "county");
  v1::UnitAck with_request;
  with_request.set_applied_seq(relayed.batch.seq());
  auto* r = with_request.add_sweep_requests();
  r->set_id(41);
  r->set_origin("county");
  r->set_kind("upper");
  r->set_requested_by("province admin");
  cascade.acknowledge(relayed, with_request);
  cascade.acknowledge(relayed, with_request);  // the same request again: relayed once
  CHECK(scalar(location, "SELECT count(*) FROM unit_sweep_requests") == 1);
  CHECK(cascade.sweeps_to_start().empty());  // the county's, not this unit's
  CHECK(cascade.next_batch(options, {}).batch.incidents_size() == 0);

  // The level above asks for everything again.
  v1::UnitAck resync;
  auto before = cascade.next_batch(options, {});
  resync.set_applied_seq(before.batch.seq());
  resync.set_resync(true);
  cascade.acknowledge(before, resync);
  auto all = cascade.next_batch(options, {});
  CHECK(all.batch.full());
  CHECK(all.batch.hosts_size() == 3);
  CHECK(all.batch.incidents_size() == 1);
}

TEST_CASE("a unit's batch is validated field by field", "[cascade]") {
  auto good = batch(1, {host("a-1", {{"av.running", "fail"}})}, 1);
  CHECK(validate_unit_batch(good).empty());
  auto bad = good;
  bad.set_seq(0);
  CHECK_FALSE(validate_unit_batch(bad).empty());
  bad = good;
  bad.mutable_hosts(0)->mutable_checks(0)->set_status("maybe");
  CHECK(validate_unit_batch(bad).find("unknown status") != std::string::npos);
  bad = good;
  bad.mutable_hosts(0)->set_hostname(std::string("pc\x01", 3));
  CHECK_FALSE(validate_unit_batch(bad).empty());
  bad = good;
  bad.mutable_hosts(0)->set_hostname("\xff\xfe");
  CHECK_FALSE(validate_unit_batch(bad).empty());
  for (const char* origin : {"/a", "a/", "a//b", "a/b/c/d/e/f/g/h/i"}) {
    bad = good;
    bad.mutable_incidents(0)->set_origin(origin);
    INFO(origin);
    CHECK_FALSE(validate_unit_batch(bad).empty());
  }
  CHECK(validate_origin("city/county").empty());
  bad = good;
  bad.mutable_incidents(0)->set_source_id(0);
  CHECK_FALSE(validate_unit_batch(bad).empty());
  bad = good;
  for (size_t i = 0; i <= kMaxBatchHosts; ++i) *bad.add_hosts() = good.hosts(0);
  CHECK(validate_unit_batch(bad).find("too many hosts") != std::string::npos);
  bad = good;
  auto* sw = bad.add_sweeps();
  sw->set_sweep_id(1);
  sw->set_targets(1);
  sw->set_answered(2);
  CHECK_FALSE(validate_unit_batch(bad).empty());
  CHECK(validate_unit_name("县/局").find("'/'") != std::string::npos);
  CHECK(validate_unit_name("").size() > 0);
  CHECK(validate_unit_name("某某县公安局").empty());
}

TEST_CASE(
    "incident details filled in at a unit go up, and again when they change, through a "
    "level between",
    "[cascade]") {
  TempDir dir;
  TestClock clock(kNow);
  auto county_db = fresh_database(dir, "county.db"), city_db = fresh_database(dir, "city.db"),
       province_db = fresh_database(dir, "province.db");
  Store county_store(storage::Location(county_db), clock);
  CascadeStore county(storage::Location(county_db), clock);
  Store city_store(storage::Location(city_db), clock);
  CascadeStore city(storage::Location(city_db), clock);
  Store province_store(storage::Location(province_db), clock);
  CascadeStore province(storage::Location(province_db), clock);
  auto county_at_city = enrol(city_store, city, "county");
  auto city_at_province = enrol(province_store, province, "city");
  ForwardOptions as_county, as_city;
  as_county.unit_name = "county";
  as_city.unit_name = "city";
  // One round of the county's link and the city's link, each acknowledged.
  auto forward = [&] {
    auto p = county.next_batch(as_county, {});
    county.acknowledge(p, city.apply(county_at_city, p.batch));
    auto q = city.next_batch(as_city, {});
    city.acknowledge(q, province.apply(city_at_province, q.batch));
    return std::make_pair(p.batch, q.batch);
  };
  auto at_province = [&] {
    auto incidents = province.unit_incidents(0);
    REQUIRE(incidents.size() == 1);
    return incidents[0];
  };

  add_host(county_db, 1, "a-1", "fail");
  open_database(county_db)
      ->prepare(
          "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, summary, "
          "severity) VALUES (1, 'av.running', 'pass', 'fail', ?, 'clamd stopped', 'critical')")
      .bind(1, kNow)
      .run();
  forward();
  CHECK(at_province().unit == "city/county");
  CHECK(at_province().location.empty());

  // The county's admin fills the incident in.
  auto id = county_store.list_incidents(0)[0].id;
  clock.advance_ms(60000);
  collector::domain::IncidentUpdate fill;
  fill.id = id;
  fill.location = "三楼机房";
  fill.service = "财务系统";
  fill.impact = "无数据外泄";
  fill.cause = "病毒库未更新";
  fill.handling = "已重启 clamd";
  fill.reporter = "王五";
  county_store.update_incident(fill, "admin");
  auto [sent, relayed] = forward();
  REQUIRE(sent.incidents_size() == 1);
  CHECK(sent.incidents(0).location() == "三楼机房");
  CHECK(sent.incidents(0).details_updated_at_ms() == kNow + 60000);
  REQUIRE(relayed.incidents_size() == 1);
  CHECK(relayed.incidents(0).origin() == "county");
  auto filled = at_province();
  CHECK(filled.location == "三楼机房");
  CHECK(filled.service == "财务系统");
  CHECK(filled.cause == "病毒库未更新");
  CHECK(filled.handling == "已重启 clamd");
  CHECK(filled.reporter == "王五");
  CHECK(filled.reported_at_ms == kNow + 60000);  // named a reporter: reported now
  CHECK(scalar(province_db, "SELECT count(*) FROM unit_incidents") == 1);

  // Nothing changed: nothing goes again.
  auto [quiet, quiet_relayed] = forward();
  CHECK(quiet.incidents_size() == 0);
  CHECK(quiet_relayed.incidents_size() == 0);

  // Changed again: the newer details replace the older; an older copy arriving late does not.
  clock.advance_ms(60000);
  fill.handling = "已更新病毒库并全盘查杀";
  county_store.update_incident(fill, "admin");
  forward();
  CHECK(at_province().handling == "已更新病毒库并全盘查杀");
  v1::UnitBatch late;
  late.set_seq(1);
  *late.add_incidents() = sent.incidents(0);
  city.apply(county_at_city, late);
  auto q = city.next_batch(as_city, {});
  CHECK(q.batch.incidents_size() == 0);
  CHECK(city.unit_incidents(0)[0].handling == "已更新病毒库并全盘查杀");

  // The province's self-check report lists it among the period's incidents, naming the unit.
  ReportService reports(province_store, clock);
  reports.set_cascade(&province);
  auto report = reports.build(ReportRequest::instants(kNow - 86400000, kNow + 86400000), {});
  REQUIRE(report.incidents_size() == 1);
  CHECK(report.incidents(0).unit() == "city/county");
  CHECK(report.incidents(0).location() == "三楼机房");
  CHECK(report.incidents(0).handling() == "已更新病毒库并全盘查杀");
  // Outside the period: not listed.
  CHECK(reports.build(ReportRequest::instants(kNow + 86400000, kNow + 2 * 86400000), {})
            .incidents_size() == 0);
}

TEST_CASE("one unit's report at the level above, from what it last forwarded", "[cascade]") {
  TempDir dir;
  auto location = fresh_database(dir);
  TestClock clock(kNow);
  Store store(storage::Location(location), clock);
  CascadeStore cascade(storage::Location(location), clock);
  auto county = enrol(store, cascade, "county");
  auto kylin = host("a-1", {{"av.running", "fail"}, {"fw.enabled", "pass"}});
  kylin.set_os_name("Kylin V10 SP1");
  auto debian = host("a-2", {{"av.running", "pass"}, {"fw.enabled", "pass"}});
  debian.set_os_name("Debian GNU/Linux 12");
  debian.set_last_report_ms(kNow - 40LL * 86400000);           // not in the period
  auto below = host("c-9", {{"av.running", "fail"}}, "town");  // a unit below the county
  auto b = batch(1, {kylin, debian, below}, 1);
  auto* town = b.add_members();
  town->set_origin("town");
  town->set_name("town");
  town->set_ledger_hosts(3);
  cascade.apply(county, b);

  ReportService reports(store, clock);
  reports.set_cascade(&cascade);
  auto req = ReportRequest::instants(kNow - 86400000, kNow + 86400000);
  req.unit = "county";
  auto r = reports.build(req, {});
  CHECK(r.forwarded().unit() == "county");
  CHECK(r.forwarded().last_contact_ms() == kNow);
  CHECK(r.unit().name() == "county");
  CHECK(r.summary().hosts() == 2);  // its own PCs, not the town's
  CHECK(r.summary().failing_hosts() == 1);
  CHECK(r.scope().ledger_hosts() == 10);
  CHECK(r.scope().reported_hosts() == 1);
  CHECK(r.domestic_os_share() == Approx(0.5));
  REQUIRE(r.incidents_size() == 1);
  CHECK(r.incidents(0).unit() == "county");
  bool counted = false;
  for (const auto& q : r.requirements())
    if (q.results().check() == "av.running") {
      counted = true;
      CHECK(q.results().fail() == 1);
      CHECK(q.results().pass() == 1);
    }
  CHECK(counted);
  // The unit further down has its own; an unknown one is not found.
  req.unit = "county/town";
  auto town_report = reports.build(req, {});
  CHECK(town_report.summary().hosts() == 1);
  CHECK(town_report.scope().ledger_hosts() == 3);
  req.unit = "nowhere";
  CHECK_THROWS_AS(reports.build(req, {}), Failure);
}
