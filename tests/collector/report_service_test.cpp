// The self-check report: its assembly from what storage reads (sections, rates, remediation
// tallies) and its three renderings (JSON keeps docs/reports.md's shape, CSV neutralises formula
// cells, HTML escapes everything).
#include <catch2/catch.hpp>

#include "collector/database/store.hpp"
#include "collector/report/report_service.hpp"
#include "collector/wardenctl/report_render.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/i18n/i18n.hpp"
#include "common/time_zone.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::collector;
using nlohmann::json;

namespace {

constexpr int64_t kFrom = 20000 * kDayMs;  // 2024-10-04, a UTC midnight
constexpr int64_t kTo = kFrom + 30 * kDayMs;

ReportInputs inputs() {
  ReportInputs in;
  in.hosts = {
      {1,
       "agent-1",
       "pc-a",
       "Bureau/Finance",
       "Li",
       "office",
       "10.0.0.1",
       "aa:bb:cc:00:00:01",
       "Debian 12",
       "debian",
       kFrom,
       {}},
      {2,
       "agent-2",
       "=cmd|' /C calc'!A0",
       "Bureau/Finance",
       "Wang",
       "office",
       "10.0.0.2",
       "aa:bb:cc:00:00:02",
       "Debian 12",
       "debian",
       kFrom + kDayMs,
       {"av.running", "usb.unregistered_storage"}},
      {3,
       "agent-3",
       "<script>x</script>",
       "Bureau/HR",
       "Zhao",
       "classified",
       "10.0.0.3",
       "",
       "Kylin V10",
       "kylin",
       kFrom + 2 * kDayMs,
       {}},
  };
  in.result_counts = {
      {"Bureau/Finance", "av.running", "pass", 1},
      {"Bureau/Finance", "av.running", "fail", 1},
      {"Bureau/Finance", "usb.unregistered_storage", "fail", 1},
      {"Bureau/Finance", "usb.unregistered_storage", "not_applicable", 1},
      {"Bureau/HR", "av.running", "pass", 1},
      {"Bureau/HR", "x.newer_agent_check", "error", 1},
  };
  in.failures = {
      // Fixed on day 2 of a 7-day deadline: due and fixed.
      {1, "av.running", kFrom + kDayMs, kFrom + 2 * kDayMs},
      // Still failing, began on day 20: past the deadline at day 30, due and not fixed.
      {2, "av.running", kFrom + 20 * kDayMs, std::nullopt},
      // Began on day 29: within the deadline, open.
      {2, "usb.unregistered_storage", kFrom + 29 * kDayMs, std::nullopt},
      // A host outside the report's scope (another department, or revoked): left out.
      {99, "av.running", kFrom + kDayMs, std::nullopt},
  };
  in.identity_events = {
      {3, "host.renamed", kFrom + 3 * kDayMs, R"({"from":"old-name","to":"<script>x</script>"})"},
      {99, "host.renamed", kFrom + 3 * kDayMs, "{}"},
      {1, "host.machine_changed", kFrom + 4 * kDayMs, "not json"},
  };
  in.days = {
      {20000, "Bureau/Finance", 30, 3},
      {20000, "Bureau/HR", 10, 0},
      {20001, "Bureau/Finance", 40, 10},
  };
  return in;
}

v1::SelfCheckReport build(const ReportInputs& in, int64_t now,
                          std::set<std::string> online = {"agent-1"}) {
  return assemble_report(in, {kFrom, kTo, "Bureau"}, now, online,
                         [](const std::string&) { return 7; });
}

}  // namespace

TEST_CASE("the report's sections, rates and tallies come from what storage read", "[report]") {
  auto r = build(inputs(), kTo);
  CHECK(r.generated_at_ms() == kTo);
  CHECK(r.period().from_ms() == kFrom);
  CHECK(r.period().to_ms() == kTo);
  CHECK(r.department() == "Bureau");

  const auto& s = r.summary();
  CHECK(s.hosts() == 3);
  CHECK(s.online() == 1);
  CHECK(s.offline() == 2);
  CHECK(s.failing_hosts() == 1);
  CHECK(s.compliance_rate() == Approx(2.0 / 5.0));  // pass ÷ (pass+fail+error); n/a left out
  REQUIRE(s.has_remediation_rate());
  CHECK(s.remediation_rate() == Approx(0.5));  // one of two due failures fixed in time

  REQUIRE(r.departments_size() == 2);
  CHECK(r.departments(0).department() == "Bureau/Finance");
  CHECK(r.departments(0).hosts() == 2);
  CHECK(r.departments(0).compliance_rate() == Approx(1.0 / 3.0));
  REQUIRE(r.departments(0).checks_size() == 2);
  CHECK(r.departments(0).checks(1).check() == "usb.unregistered_storage");
  CHECK(r.departments(0).checks(1).not_applicable() == 1);
  CHECK(r.departments(0).checks(1).compliance_rate() == 0.0);
  CHECK(r.departments(1).hosts() == 1);

  // Every known requirement, in rule order, then the checks without a mapping yet.
  REQUIRE(r.requirements_size() == static_cast<int>(catalog::checks().size()) + 1);
  const auto& unmapped = r.requirements(r.requirements_size() - 1);
  CHECK(unmapped.results().check() == "x.newer_agent_check");
  CHECK(unmapped.rule().empty());
  CHECK(unmapped.results().error() == 1);
  for (const auto& q : r.requirements())
    if (q.results().check() == "av.running") {
      CHECK(q.results().pass() == 2);
      CHECK(q.results().fail() == 1);
      CHECK(q.rule() == "the antivirus is running");
    }

  REQUIRE(r.failing_hosts_size() == 1);
  CHECK(r.failing_hosts(0).agent_id() == "agent-2");
  CHECK(r.failing_hosts(0).failing_checks_size() == 2);

  const auto& overall = r.remediation().overall();
  CHECK(overall.failures_due() == 2);
  CHECK(overall.fixed_within_deadline() == 1);
  CHECK(overall.open_within_deadline() == 1);
  CHECK(r.remediation().target() == 0.95);
  REQUIRE(r.remediation().by_check_size() == 2);
  CHECK(r.remediation().by_check(1).check() == "usb.unregistered_storage");
  CHECK_FALSE(r.remediation().by_check(1).tally().has_rate());  // nothing due: no rate at all
  REQUIRE(r.remediation().by_department_size() == 1);

  REQUIRE(r.usb_violations_size() == 1);
  CHECK(r.usb_violations(0).at_ms() == kFrom + 29 * kDayMs);
  CHECK(r.usb_violations(0).owner() == "Wang");

  REQUIRE(r.identity_events_size() == 2);  // host 99 is not in scope
  CHECK(r.identity_events(0).kind() == "host.renamed");
  CHECK(r.identity_events(0).agent_id() == "agent-3");

  REQUIRE(r.offline_hosts_size() == 2);
  CHECK(r.offline_hosts(0).agent_id() == "agent-2");
  CHECK(r.offline_hosts(0).last_seen_ms() == kFrom + kDayMs);

  REQUIRE(r.trend_size() == 2);
  CHECK(r.trend(0).day_ms() == 20000 * kDayMs);
  CHECK(r.trend(0).findings() == 40);
  CHECK(r.trend(0).failing() == 3);
  CHECK(r.trend(0).compliance_rate() == Approx(37.0 / 40.0));
}

TEST_CASE("no remediation rate is claimed while no failure is due", "[report]") {
  // The only failure began a day before the period ended: not past its 7-day deadline yet.
  auto in = inputs();
  in.failures = {in.failures[2]};
  auto r = build(in, kTo);
  CHECK(r.remediation().overall().failures_due() == 0);
  CHECK(r.remediation().overall().open_within_deadline() == 1);
  CHECK_FALSE(r.summary().has_remediation_rate());
  auto j = ctl::report_json(r);
  CHECK(j["summary"]["remediation_rate"].is_null());
  CHECK(j["remediation"]["overall"]["rate"].is_null());
  CHECK(ctl::render_report_csv(r).find("none due yet") != std::string::npos);
  CHECK(ctl::render_report_html(r).find("<b>none due yet</b>remediated in time") !=
        std::string::npos);
}

TEST_CASE("the report service refuses an empty period and reports an empty fleet", "[report]") {
  test::TempDir dir;
  Store store(test::fresh_database(dir));
  TestClock clock(kTo);
  ReportService reports(store, clock);
  try {
    reports.build(ReportRequest::instants(kTo, kFrom), {});
    FAIL("a reversed period was accepted");
  } catch (const Failure& f) {
    CHECK(f.error().kind == ErrorKind::invalid);
  }
  auto r = reports.build(ReportRequest::instants(kFrom, kTo), {});
  CHECK(r.generated_at_ms() == kTo);
  CHECK(r.summary().hosts() == 0);
  CHECK(r.summary().compliance_rate() == 1.0);
  CHECK(r.requirements_size() == static_cast<int>(catalog::checks().size()));
  CHECK(ctl::report_json(r)["trend"].empty());
}

TEST_CASE("the report's JSON keeps the documented keys and shapes", "[report]") {
  auto j = ctl::report_json(build(inputs(), kTo));
  for (const char* key : {"generated_at",   "period",
                          "department",     "summary",
                          "requirements",   "departments",
                          "failing_hosts",  "remediation",
                          "usb_violations", "identity_events",
                          "offline_hosts",  "trend",
                          "time_zone",      "unit",
                          "scope",          "antivirus_products",
                          "os_versions",    "domestic_os_share",
                          "narrative",      "problems",
                          "incidents",      "forwarded"})
    CHECK(j.contains(key));
  CHECK(j.size() == 22);
  CHECK(j["forwarded"].is_null());  // set only for a unit's report at the level above
  CHECK(j["generated_at"] == format_time_utc(kTo));
  CHECK(j["period"] == json{{"from", "2024-10-04T00:00:00Z"},
                            {"to", "2024-11-03T00:00:00Z"},
                            {"from_date", "2024-10-04"},
                            {"last_date", "2024-11-02"}});
  CHECK(j["summary"] == json{{"hosts", 3},
                             {"online", 1},
                             {"offline", 2},
                             {"failing_hosts", 1},
                             {"compliance_rate", 0.4},
                             {"remediation_rate", 0.5}});
  CHECK(j["departments"][0]["checks"][0] == json{{"check", "av.running"},
                                                 {"pass", 1},
                                                 {"fail", 1},
                                                 {"error", 0},
                                                 {"not_applicable", 0},
                                                 {"compliance_rate", 0.5}});
  const auto& q = j["requirements"].back();
  CHECK(q == json{{"check", "x.newer_agent_check"},
                  {"rule", ""},
                  {"standard", ""},
                  {"clause", ""},
                  {"title", "x.newer_agent_check"},
                  {"pass", 0},
                  {"fail", 0},
                  {"error", 1},
                  {"not_applicable", 0},
                  {"compliance_rate", 0.0}});
  CHECK(j["failing_hosts"][0]["failing"] == json{"av.running", "usb.unregistered_storage"});
  CHECK(j["failing_hosts"][0]["mac"] == "aa:bb:cc:00:00:02");
  CHECK(j["remediation"]["by_department"][0] == json{{"department", "Bureau/Finance"},
                                                     {"failures_due", 2},
                                                     {"fixed_within_deadline", 1},
                                                     {"open_within_deadline", 1},
                                                     {"rate", 0.5}});
  CHECK(j["remediation"]["target"] == 0.95);
  CHECK(j["usb_violations"][0]["at"] == format_time_utc(kFrom + 29 * kDayMs));
  CHECK(j["identity_events"][0]["details"]["from"] == "old-name");
  CHECK(j["identity_events"][1]["details"] == json::object());  // stored data that is not JSON
  CHECK(j["offline_hosts"][1]["last_seen"] == "2024-10-06T00:00:00Z");
  CHECK(j["trend"][1] ==
        json{{"day", "2024-10-05"}, {"findings", 40}, {"failing", 10}, {"compliance_rate", 0.75}});
  CHECK(ctl::render_report_json(build(inputs(), kTo)) == j.dump(2) + "\n");
}

TEST_CASE("the report's CSV neutralises formula cells and its HTML escapes text", "[report]") {
  auto r = build(inputs(), kTo);
  auto csv = ctl::render_report_csv(r);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("\r\n'=cmd|' /C calc'!A0,Bureau/Finance,Wang,") != std::string::npos);
  CHECK(csv.find("\r\n=cmd") == std::string::npos);
  CHECK(csv.find("\r\n2024-10-04,40,3,92.5%\r\n") != std::string::npos);
  CHECK(csv.find("\"{\"\"from\"\":\"\"old-name\"\"") != std::string::npos);

  auto html = ctl::render_report_html(r);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("; department Bureau") != std::string::npos);
  CHECK(html.find("<b>50.0%</b>remediated in time") != std::string::npos);
}

TEST_CASE("the report period is counted in local days, by default the last full month",
          "[report]") {
  auto sh = TimeZone::named("Asia/Shanghai").value();
  const int64_t dec1 = sh.start_of({2026, 12, 1}), nov1 = sh.start_of({2026, 11, 1});
  // One minute into December, Beijing time (still 30 November in UTC): November is the last month.
  auto r = resolve_period({}, sh, dec1 + 60000);
  REQUIRE(r);
  CHECK(r->from_ms == nov1);
  CHECK(r->to_ms == dec1);
  CHECK(r->from_ms == sh.start_of({2026, 11, 1}));
  // One minute before: still November, so October.
  r = resolve_period({}, sh, dec1 - 60000);
  REQUIRE(r);
  CHECK(r->from_ms == sh.start_of({2026, 10, 1}));
  CHECK(r->to_ms == nov1);
  // January reports the December before.
  r = resolve_period({}, sh, sh.start_of({2027, 1, 15}));
  REQUIRE(r);
  CHECK(r->from_ms == dec1);
  // Dates are local midnights; a start alone runs through today.
  r = resolve_period(ReportRequest::dates("2026-11-03", "2026-11-10"), sh, dec1);
  REQUIRE(r);
  CHECK(r->from_ms == sh.start_of({2026, 11, 3}));
  CHECK(r->to_ms == sh.start_of({2026, 11, 10}));
  r = resolve_period(ReportRequest::dates("2026-11-03"), sh, dec1 + 60000);
  REQUIRE(r);
  CHECK(r->to_ms == sh.start_of({2026, 12, 2}));
  // Instants pass through; bad input is invalid with the reason.
  r = resolve_period(ReportRequest::instants(5, 9), sh, dec1);
  REQUIRE(r);
  CHECK(r->to_ms == 9);
  for (ReportRequest bad :
       {ReportRequest::dates("2026-11-31"), ReportRequest::dates("", "2026-11-30"),
        ReportRequest::dates("2026-11-10", "2026-11-10")}) {
    auto e = resolve_period(bad, sh, dec1);
    REQUIRE_FALSE(e);
    CHECK(e.error().kind == ErrorKind::invalid);
  }
}

TEST_CASE("the report's trend days are local days and carry their date", "[report]") {
  auto sh = TimeZone::named("Asia/Shanghai").value();
  ReportInputs in = inputs();
  in.days = {{sh.day_number(sh.start_of({2026, 11, 30})), "Bureau/Finance", 10, 1}};
  ReportScope scope{sh.start_of({2026, 11, 1}), sh.start_of({2026, 12, 1}), ""};
  auto r = assemble_report(
      in, scope, scope.to_ms, {}, [](const std::string&) { return 7; }, sh);
  CHECK(r.time_zone() == "Asia/Shanghai");
  CHECK(r.period().from_date() == "2026-11-01");
  CHECK(r.period().last_date() == "2026-11-30");
  REQUIRE(r.trend_size() == 1);
  CHECK(r.trend(0).date() == "2026-11-30");
  CHECK(r.trend(0).day_ms() == sh.start_of({2026, 11, 30}));
}

TEST_CASE("the report reads in Chinese: title, sections, check titles, rules, local times",
          "[report]") {
  auto r = build(inputs(), kTo);
  r.set_time_zone("Asia/Shanghai");
  const auto zh = i18n::Language::zh_CN;
  auto html = ctl::render_report_html(r, zh);
  CHECK(html.find("<html lang='zh-CN'>") != std::string::npos);
  for (const char* words :
       {"<title>自查报告</title>", "检查要求与结果", "各部门合规情况", "不合规主机", "限期整改情况",
        "离线主机", "合规趋势", "杀毒软件正在运行 (av.running)", "杀毒软件须保持运行",
        "8.1.4.5 安全计算环境—恶意代码防范", "+08:00"})
    CHECK(html.find(words) != std::string::npos);
  for (const char* english : {"Requirements", "Failing hosts", "Offline hosts", ">rule<",
                              "Self-check report", "none due yet", "last seen"})
    CHECK(html.find(english) == std::string::npos);
  auto csv = ctl::render_report_csv(r, zh);
  CHECK(csv.find("自查报告") != std::string::npos);
  CHECK(csv.find("主机数,在线,离线,不合规主机,合规率,按期整改率") != std::string::npos);
  // The same report in English says the same in English.
  auto en = ctl::render_report_html(r, i18n::Language::en);
  CHECK(en.find("<html lang='en'>") != std::string::npos);
  CHECK(en.find("Antivirus running (av.running)") != std::string::npos);
  CHECK(en.find("自查报告") == std::string::npos);
  // JSON keeps its keys and adds the localised title.
  auto j = ctl::report_json(r, zh);
  CHECK(j["time_zone"] == "Asia/Shanghai");
  CHECK(j["requirements"][0]["check"] == "av.installed");
  CHECK(j["requirements"][0]["title"] == "已安装杀毒软件");
}

TEST_CASE("the unit's report: header, 应查 against 实查, products in use, domestic systems",
          "[report]") {
  ReportInputs in = inputs();
  in.ledger = {{"pc-a", "10.0.0.1", "aa:bb:cc:00:00:01", "Bureau/Finance", "Li"},
               {"PC-Z", "10.0.0.9", "aa:bb:cc:00:00:09", "Bureau/HR", "Qian"}};
  in.reported_host_ids = {1, 3, 99};  // 99: a host outside the report's scope
  in.antivirus = {{1, "ClamAV"}, {2, "ClamAV"}, {3, "奇安信天擎"}, {99, "Other"}};
  UnitInfo unit{"某某县教育局", "张三", "李四", "0571-12345678"};
  auto r = assemble_report(
      in, {kFrom, kTo, ""}, kTo, {}, [](const std::string&) { return 7; }, TimeZone::utc(), unit);
  CHECK(r.unit().name() == "某某县教育局");
  CHECK(r.unit().person_responsible() == "张三");
  CHECK(r.scope().ledger_hosts() == 2);
  CHECK(r.scope().reported_hosts() == 2);   // hosts 1 and 3 (99 is not in scope)
  CHECK(r.scope().ledger_reported() == 1);  // pc-a
  REQUIRE(r.scope().never_reported_size() == 1);
  CHECK(r.scope().never_reported(0).hostname() == "PC-Z");
  CHECK(r.scope().never_reported(0).owner() == "Qian");
  CHECK(r.scope().reported_outside_ledger() == 1);  // host 3 has no ledger entry
  REQUIRE(r.antivirus_products_size() == 2);
  CHECK(r.antivirus_products(0).name() == "ClamAV");  // most used first
  CHECK(r.antivirus_products(0).hosts() == 2);
  CHECK(r.antivirus_products(1).name() == "奇安信天擎");
  REQUIRE(r.os_versions_size() == 2);
  CHECK(r.os_versions(0).name() == "Debian 12");
  CHECK_FALSE(r.os_versions(0).domestic());
  CHECK(r.os_versions(1).name() == "Kylin V10");
  CHECK(r.os_versions(1).domestic());
  CHECK(r.domestic_os_share() == Approx(1.0 / 3));
  CHECK(is_domestic_os("UOS"));
  CHECK_FALSE(is_domestic_os("ubuntu"));

  auto narrative = ctl::parse_narrative(
      "\xEF\xBB\xBF# 工作开展情况\n本月完成全部计算机的自查。\n\n共检查 3 台。\n# 存在问题\n"
      "个别计算机未开启屏幕锁定。\n");
  REQUIRE(narrative);
  REQUIRE(narrative->size() == 2);
  CHECK((*narrative)[0].title == "工作开展情况");
  CHECK((*narrative)[0].paragraphs ==
        std::vector<std::string>{"本月完成全部计算机的自查。", "共检查 3 台。"});
  auto html = ctl::render_report_html(r, i18n::Language::zh_CN, *narrative);
  for (const char* words : {"<h1>某某县教育局 自查报告</h1>", "负责人", "张三", "0571-12345678",
                            "应查计算机（台账）", "实查计算机（已上报）", "台账中未上报的计算机",
                            "PC-Z", "奇安信天擎", "国产操作系统占主机总数的 33.3%",
                            "<h2>工作开展情况</h2><p>本月完成全部计算机的自查。</p>", "存在问题"})
    CHECK(html.find(words) != std::string::npos);
  auto j = ctl::report_json(r, i18n::Language::zh_CN, *narrative);
  CHECK(j["unit"]["phone"] == "0571-12345678");
  CHECK(j["scope"]["never_reported"][0]["hostname"] == "PC-Z");
  CHECK(j["narrative"][1]["title"] == "存在问题");
  auto csv = ctl::render_report_csv(r, i18n::Language::zh_CN, *narrative);
  CHECK(csv.find("应查计算机（台账）,实查计算机（已上报）") != std::string::npos);
  CHECK(csv.find("\r\n2,2,1,1\r\n") != std::string::npos);
}

TEST_CASE("a narrative file is checked, not trusted", "[report]") {
  CHECK(ctl::parse_narrative("").value().empty());
  auto before = ctl::parse_narrative("text first\n# Title\n");
  REQUIRE_FALSE(before);
  CHECK(before.error().message.find("line 1") != std::string::npos);
  CHECK_FALSE(ctl::parse_narrative("# T\n\xFF\xFE\n"));
  CHECK_FALSE(ctl::parse_narrative(std::string(300 * 1024, 'a')));
  std::string many;
  for (int i = 0; i < 65; ++i) many += "# s\n";
  CHECK_FALSE(ctl::parse_narrative(many));
  // Control characters (an escape sequence in a title) are dropped; HTML is escaped on output.
  auto n = ctl::parse_narrative("# a\x1b[31mb\n<script>x</script>\n").value();
  CHECK(n[0].title == "a[31mb");
  v1::SelfCheckReport empty;
  auto html = ctl::render_report_html(empty, i18n::Language::en, n);
  CHECK(html.find("<script>x") == std::string::npos);
  CHECK(html.find("&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
}
