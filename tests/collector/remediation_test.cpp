// The problem list's remediation items and the incident fields admins fill in, through the admin
// service (validation) and the Store (both backends: collector_unit_tests on SQLite,
// collector_postgresql_tests on PostgreSQL), and into the self-check report.
#include <catch2/catch.hpp>

#include "collector/admin_service.hpp"
#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/report/report_service.hpp"
#include "collector/wardenctl/report_render.hpp"
#include "common/duration.hpp"
#include "common/i18n/i18n.hpp"
#include "common/time_zone.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;

namespace {

domain::RemediationFilter overdue_only() {
  domain::RemediationFilter f;
  f.overdue_only = true;
  return f;
}

domain::RemediationFilter in_department(const std::string& department) {
  domain::RemediationFilter f;
  f.department = department;
  return f;
}

domain::RemediationFilter with_closed() {
  domain::RemediationFilter f;
  f.include_closed = true;
  return f;
}

// 2026-12-03 10:00 in Shanghai (02:00 UTC).
const TimeZone kZone = TimeZone::named("Asia/Shanghai").value();
const int64_t kNow = kZone.start_of({2026, 12, 3}) + 10 * 3600 * 1000;

struct Fleet {
  test::TempDir dir;
  std::string location = test::fresh_database(dir);
  TestClock clock{kNow};
  Store store{location, clock};
  SessionRegistry registry;
  FleetControl fleet{store, registry};
  AdminServiceImpl admin{store, registry, fleet, false, clock};
  AdminServiceImpl auditor{store, registry, fleet, true, clock};
  std::map<std::string, int64_t> hosts;  // hostname -> host_id
  std::map<int64_t, uint64_t> seq;

  Fleet() {
    store.count_report_days_in(kZone);
    admin.set_unit({"某某县教育局", "张三", "", ""});
  }

  void enroll(const std::string& hostname, const std::string& department) {
    auto token = store.create_token({department, 3600, 1, "test"}).text;
    collector::domain::HostDescription info;
    info.hostname = hostname;
    auto e = store.enroll(token, info, [&](const std::string&, const std::string&) {
      return IssuedCertificate{"pem", "serial-" + hostname, 0};
    });
    hosts[hostname] = store.find_host(e.agent_id)->host_id;
  }

  // One report from the host with these (check, status, severity) results.
  void report(const std::string& hostname,
              std::vector<std::tuple<std::string, v1::Status, v1::Severity>> results) {
    Ingestor ingestor(location, {}, clock);
    const int64_t id = hosts.at(hostname);
    auto m = std::make_shared<v1::AgentMessage>();
    m->set_seq(++seq[id]);
    for (const auto& [check, status, severity] : results) {
      auto* f = m->mutable_report()->add_findings();
      f->set_check(check);
      f->set_status(status);
      f->set_severity(severity);
      f->set_summary("seen");
    }
    std::atomic<bool> done{false};
    IngestItem item;
    item.host_id = id;
    item.message = std::move(m);
    item.received_ms = clock.now_ms();
    item.on_commit = [&](uint64_t) { done = true; };
    ingestor.submit(std::move(item));
    REQUIRE(test::wait_for([&] { return done.load(); }));
  }

  grpc::Status set(const std::string& host, const std::string& check, const std::string& measure,
                   const std::string& deadline, v1::RemediationItem* out = nullptr,
                   bool force = false, AdminServiceImpl* via = nullptr) {
    v1::SetRemediationRequest req;
    req.set_host(host);
    req.set_check(check);
    req.set_measure(measure);
    req.set_person("李四");
    req.set_deadline_date(deadline);
    req.set_force(force);
    v1::RemediationItem item;
    grpc::ServerContext ctx;
    auto st = (via ? via : &admin)->SetRemediation(&ctx, &req, &item);
    if (out) *out = item;
    return st;
  }

  std::vector<v1::RemediationItem> list(bool overdue = false, const std::string& dept = "",
                                        bool all = false) {
    v1::ListRemediationRequest req;
    req.set_overdue(overdue);
    req.set_department(dept);
    req.set_include_closed(all);
    v1::ListRemediationResponse resp;
    grpc::ServerContext ctx;
    REQUIRE(admin.ListRemediation(&ctx, &req, &resp).ok());
    return {resp.items().begin(), resp.items().end()};
  }

  grpc::Status close(const std::string& host, const std::string& check,
                     const std::string& note = "") {
    v1::CloseRemediationRequest req;
    req.set_host(host);
    req.set_check(check);
    req.set_note(note);
    v1::RemediationItem item;
    grpc::ServerContext ctx;
    return admin.CloseRemediation(&ctx, &req, &item);
  }

  v1::SelfCheckReport report_of(const std::string& department = "") {
    ReportService reports(store, clock);
    reports.set_unit({"某某县教育局", "张三", "", ""});
    auto req = ReportRequest::instants(kNow - 30 * kDayMs, clock.now_ms() + kDayMs);
    req.department = department;
    return reports.build(req, {});
  }
};

constexpr auto kFail = v1::STATUS_FAIL;
constexpr auto kPass = v1::STATUS_PASS;
constexpr auto kCritical = v1::SEVERITY_CRITICAL;
constexpr auto kHigh = v1::SEVERITY_HIGH;

}  // namespace

TEST_CASE("a remediation item is set for a failing check, listed, overdue after its day, closed",
          "[remediation]") {
  Fleet f;
  f.enroll("pc-1", "Bureau/Finance");
  f.enroll("pc-2", "Bureau/HR");
  f.report("pc-1", {{"av.running", kFail, kHigh}, {"host.firewall", kPass, kHigh}});
  f.report("pc-2", {{"av.running", kFail, kHigh}});

  v1::RemediationItem item;
  REQUIRE(f.set("pc-1", "av.running", "  安装并启动杀毒软件 ", "2026-12-05", &item).ok());
  CHECK(item.hostname() == "pc-1");
  CHECK(item.measure() == "安装并启动杀毒软件");  // trimmed
  CHECK(item.person() == "李四");
  CHECK(item.status() == "open");
  CHECK(item.result() == "fail");
  CHECK(item.deadline_date() == "2026-12-05");
  // Due by the end of that local day: the instant the next one begins.
  CHECK(item.deadline_ms() == kZone.start_of({2026, 12, 6}));
  CHECK_FALSE(item.overdue());
  REQUIRE(f.set("pc-2", "av.running", "重装", "2026-12-03").ok());  // today is allowed

  // Setting it again changes the open item (one open item per host and check).
  REQUIRE(f.set("pc-1", "av.running", "更换杀毒软件", "2026-12-04", &item).ok());
  CHECK(item.measure() == "更换杀毒软件");
  CHECK(f.list().size() == 2);
  CHECK(f.list(false, "Bureau/Finance").size() == 1);
  CHECK(f.list(true).empty());

  // The end of 2026-12-03 local time: pc-2's item is overdue, pc-1's not yet.
  f.clock.set_ms(kZone.start_of({2026, 12, 4}));
  auto overdue = f.list(true);
  REQUIRE(overdue.size() == 1);
  CHECK(overdue[0].hostname() == "pc-2");
  CHECK(overdue[0].overdue());
  auto all = f.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].hostname() == "pc-2");  // overdue first
  CHECK_FALSE(all[1].overdue());

  // The report's problem list: both failures with their items, the overdue one marked.
  auto r = f.report_of();
  REQUIRE(r.problems_size() == 2);
  CHECK(r.problems(0).hostname() == "pc-1");  // by department, host, check
  CHECK(r.problems(0).measure() == "更换杀毒软件");
  CHECK(r.problems(0).deadline_date() == "2026-12-04");
  CHECK_FALSE(r.problems(0).overdue());
  CHECK(r.problems(1).hostname() == "pc-2");
  CHECK(r.problems(1).overdue());
  CHECK(r.problems(1).result() == "fail");
  CHECK(f.report_of("Bureau/HR").problems_size() == 1);

  // Closed: gone from the open list, kept with --all; the audit log has both changes.
  REQUIRE(f.close("pc-2", "av.running", "已处理").ok());
  CHECK(f.list().size() == 1);
  auto with_closed = f.list(false, "", true);
  REQUIRE(with_closed.size() == 2);
  CHECK(with_closed[1].status() == "closed");
  CHECK(with_closed[1].note() == "已处理");
  CHECK(with_closed[1].closed_by() == "admin");
  CHECK_FALSE(with_closed[1].overdue());
  CHECK(f.close("pc-2", "av.running").error_code() == grpc::StatusCode::NOT_FOUND);
  int sets = 0, closes = 0;
  for (const auto& e : f.store.list_audit(0, 100)) {
    sets += e.action == "remediation.set";
    closes += e.action == "remediation.close";
  }
  CHECK(sets == 3);
  CHECK(closes == 1);

  // The closed item's check still fails: a problem again, without a measure.
  r = f.report_of();
  REQUIRE(r.problems_size() == 2);
  CHECK(r.problems(1).hostname() == "pc-2");
  CHECK(r.problems(1).status().empty());
  CHECK(r.problems(1).measure().empty());
  CHECK_FALSE(r.problems(1).overdue());
  // A new item can be opened for it.
  REQUIRE(f.set("pc-2", "av.running", "再次整改", "2026-12-10").ok());
  CHECK(f.list().size() == 2);

  // pc-1's check passes now: its open item stays on the list (ready to close), marked passing.
  f.report("pc-1", {{"av.running", kPass, kHigh}});
  r = f.report_of("Bureau/Finance");
  REQUIRE(r.problems_size() == 1);
  CHECK(r.problems(0).result() == "pass");
  CHECK(r.problems(0).status() == "open");
  auto json = ctl::report_json(r, i18n::Language::en);
  CHECK(json["problems"][0]["measure"] == "更换杀毒软件");
  CHECK(json["problems"][0]["overdue"] == false);  // due by the end of 2026-12-04
  f.clock.set_ms(kZone.start_of({2026, 12, 5}));
  json = ctl::report_json(f.report_of("Bureau/Finance"), i18n::Language::en);
  CHECK(json["problems"][0]["overdue"] == true);
  CHECK(json["problems"][0]["deadline"] == "2026-12-04");
}

TEST_CASE("remediation input is checked: host, check, failing result, texts, dates",
          "[remediation]") {
  Fleet f;
  f.enroll("pc-1", "Finance");
  f.report("pc-1", {{"av.running", kFail, kHigh}, {"host.firewall", kPass, kHigh}});
  using grpc::StatusCode;
  CHECK(f.set("pc-9", "av.running", "m", "2026-12-05").error_code() == StatusCode::NOT_FOUND);
  CHECK(f.set("pc-1", "no.such_check", "m", "2026-12-05").error_code() == StatusCode::NOT_FOUND);
  CHECK(f.set("pc-1", "AV RUNNING", "m", "2026-12-05").error_code() ==
        StatusCode::INVALID_ARGUMENT);
  auto empty = f.set("pc-1", "av.running", "   ", "2026-12-05");
  CHECK(empty.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(empty.error_message().find("measure") != std::string::npos);
  CHECK(f.set("pc-1", "av.running", std::string(2001, 'x'), "2026-12-05").error_code() ==
        StatusCode::INVALID_ARGUMENT);
  CHECK(f.set("pc-1", "av.running", "bad \xff utf-8", "2026-12-05").error_code() ==
        StatusCode::INVALID_ARGUMENT);
  auto malformed = f.set("pc-1", "av.running", "m", "2026-13-45");
  CHECK(malformed.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(malformed.error_message().find("YYYY-MM-DD") != std::string::npos);
  auto past = f.set("pc-1", "av.running", "m", "2026-12-02");
  CHECK(past.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(past.error_message().find("past") != std::string::npos);
  // A passing check takes no item unless forced.
  auto passing = f.set("pc-1", "host.firewall", "m", "2026-12-05");
  CHECK(passing.error_code() == StatusCode::FAILED_PRECONDITION);  // a conflict
  CHECK(passing.error_message().find("pass") != std::string::npos);
  CHECK(f.set("pc-1", "host.firewall", "m", "2026-12-05", nullptr, true).ok());
  // The auditor's socket changes nothing.
  CHECK(f.set("pc-1", "av.running", "m", "2026-12-05", nullptr, false, &f.auditor).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(f.list().size() == 1);
  CHECK(f.close("pc-1", "av.running").error_code() == StatusCode::NOT_FOUND);
}

TEST_CASE("incidents have stable IDs and keep the fields admins fill in", "[incidents]") {
  Fleet f;
  f.enroll("pc-1", "Bureau/Finance");
  f.enroll("pc-2", "Bureau/HR");
  f.report("pc-1", {{"usb.unregistered_storage", kFail, kCritical}});
  f.clock.advance_ms(60'000);
  f.report("pc-2", {{"usb.unregistered_storage", kFail, kCritical}, {"av.running", kFail, kHigh}});

  auto incidents = f.store.list_incidents(0);
  REQUIRE(incidents.size() == 2);          // the high finding is not an incident
  CHECK(incidents[0].hostname == "pc-2");  // newest first
  const int64_t id = incidents[1].id;
  CHECK(id > 0);
  CHECK(incidents[0].id != id);

  v1::UpdateIncidentRequest req;
  req.set_id(id);
  req.set_location("3号楼201室");
  req.set_service("财务系统");
  req.set_impact("无");
  req.set_cause("使用未登记U盘");
  req.set_handling("已收缴");
  req.set_reporter("王五");
  v1::Incident out;
  {
    grpc::ServerContext ctx;
    REQUIRE(f.admin.UpdateIncident(&ctx, &req, &out).ok());
  }
  CHECK(out.id() == id);
  CHECK(out.location() == "3号楼201室");
  CHECK(out.unit() == "某某县教育局");
  CHECK(out.reported_at_ms() == f.clock.now_ms());  // a reporter named without a time: now
  CHECK(out.updated_by() == "admin");

  // A second update changes only what it sets.
  v1::UpdateIncidentRequest more;
  more.set_id(id);
  more.set_handling("已收缴并登记");
  more.set_reported_at_ms(kNow);
  {
    grpc::ServerContext ctx;
    REQUIRE(f.admin.UpdateIncident(&ctx, &more, &out).ok());
  }
  CHECK(out.handling() == "已收缴并登记");
  CHECK(out.cause() == "使用未登记U盘");
  CHECK(out.reported_at_ms() == kNow);
  auto again = f.store.list_incidents(0);
  CHECK(again[1].id == id);
  CHECK(again[1].service == "财务系统");
  CHECK(again[0].service.empty());

  // Unknown IDs, bad text, and the auditor are refused.
  using grpc::StatusCode;
  grpc::ServerContext c1, c2, c3, c4, c5;
  v1::UpdateIncidentRequest nothing;
  nothing.set_id(id);
  CHECK(f.admin.UpdateIncident(&c5, &nothing, &out).error_code() == StatusCode::INVALID_ARGUMENT);
  v1::UpdateIncidentRequest unknown;
  unknown.set_id(id + 1000);
  unknown.set_cause("x");
  CHECK(f.admin.UpdateIncident(&c1, &unknown, &out).error_code() == StatusCode::NOT_FOUND);
  v1::UpdateIncidentRequest bad;
  bad.set_id(id);
  bad.set_cause("line\nbreak");
  CHECK(f.admin.UpdateIncident(&c2, &bad, &out).error_code() == StatusCode::INVALID_ARGUMENT);
  bad.set_cause(std::string(3000, 'x'));
  CHECK(f.admin.UpdateIncident(&c3, &bad, &out).error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(f.auditor.UpdateIncident(&c4, &more, &out).error_code() == StatusCode::PERMISSION_DENIED);
  int updates = 0;
  for (const auto& e : f.store.list_audit(0, 100)) updates += e.action == "incident.update";
  CHECK(updates == 2);

  // The report: the period's incidents in scope, oldest first, with the fields and the unit.
  auto r = f.report_of();
  REQUIRE(r.incidents_size() == 2);
  CHECK(r.incidents(0).id() == id);
  CHECK(r.incidents(0).location() == "3号楼201室");
  CHECK(r.incidents(0).reporter() == "王五");
  CHECK(r.incidents(0).unit() == "某某县教育局");
  REQUIRE(f.report_of("Bureau/HR").incidents_size() == 1);
  CHECK(f.report_of("Bureau/HR").incidents(0).hostname() == "pc-2");
  auto html = ctl::render_report_html(r, i18n::Language::zh_CN, {});
  for (const char* words : {"3号楼201室", "财务系统", "使用未登记U盘", "已收缴并登记", "王五"})
    CHECK(html.find(words) != std::string::npos);
  auto csv = ctl::render_report_csv(r, i18n::Language::en, {});
  CHECK(csv.find("3号楼201室") != std::string::npos);

  // Pruned with the history they belong to.
  f.store.prune_before(f.clock.now_ms() + kDayMs, 1000);
  CHECK(test::scalar(f.location, "SELECT count(*) FROM incident_details") == 0);
}

TEST_CASE("the remediation repository keeps one open item per host and check, overdue first",
          "[remediation]") {
  Fleet f;
  f.enroll("pc-1", "Bureau/Finance");
  f.enroll("pc-2", "Bureau/HR");
  f.report("pc-1", {{"av.running", kFail, kHigh}});
  const int64_t pc1 = f.hosts.at("pc-1"), pc2 = f.hosts.at("pc-2");
  const int64_t tomorrow = kZone.start_of({2026, 12, 5}), later = kZone.start_of({2026, 12, 9});
  auto first = f.store.set_remediation(pc1, "av.running", "重装", "李四", later, "", "alice");
  CHECK(first.hostname == "pc-1");
  CHECK(first.department == "Bureau/Finance");
  CHECK(first.status == "open");
  CHECK(first.result == "fail");
  CHECK(first.created_by == "alice");
  CHECK(first.closed_at_ms == 0);
  auto again = f.store.set_remediation(pc1, "av.running", "更换", "王五", later, "n", "bob");
  CHECK(again.id == first.id);  // the open item changed, not a second one
  CHECK(again.measure == "更换");
  CHECK(again.created_by == "alice");
  f.store.set_remediation(pc2, "host.firewall", "开启", "赵六", tomorrow, "", "alice");
  CHECK(f.store.list_remediation({}).size() == 2);
  CHECK(f.store.list_remediation(in_department("Bureau/HR")).at(0).hostname == "pc-2");
  CHECK(f.store.list_remediation(overdue_only()).empty());

  // Two days on, pc-2's is overdue and comes first although pc-1's deadline is later.
  f.clock.advance_ms(2 * kDayMs);
  auto open = f.store.list_remediation({});
  REQUIRE(open.size() == 2);
  CHECK(open[0].overdue);
  CHECK(open[0].hostname == "pc-2");
  CHECK_FALSE(open[1].overdue);
  CHECK(f.store.list_remediation(overdue_only()).size() == 1);

  auto closed = f.store.close_remediation(pc2, "host.firewall", "已开启", "carol");
  CHECK(closed.status == "closed");
  CHECK(closed.closed_by == "carol");
  CHECK(closed.closed_at_ms == f.clock.now_ms());
  CHECK(closed.note == "已开启");
  CHECK_FALSE(closed.overdue);
  CHECK(f.store.list_remediation({}).size() == 1);
  auto all = f.store.list_remediation(with_closed());
  REQUIRE(all.size() == 2);
  CHECK(all[1].status == "closed");  // open first, then closed
  CHECK_THROWS_AS(f.store.close_remediation(pc2, "host.firewall", "", "carol"), Failure);
}
