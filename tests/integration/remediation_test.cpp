// The problem list and incident reports end to end (issue 14): a real collector (its unit and
// time zone in its config file) and an agent whose report fails a critical check; wardenctl sets a
// remediation item, lists it, sees it overdue once its deadline has passed, closes it; fills in
// the incident's fields; and the self-check report (JSON and HTML) carries both. Bad input gets a
// clear error and the exit code of its kind.
#include <catch2/catch.hpp>

#include <set>

#include "common/duration.hpp"
#include "common/files.hpp"
#include "common/time_zone.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

v1::Finding finding(const std::string& check, v1::Status status, v1::Severity severity) {
  v1::Finding f;
  f.set_check(check);
  f.set_status(status);
  f.set_severity(severity);
  f.set_summary("seen by the test");
  return f;
}

}  // namespace

TEST_CASE("wardenctl remediation and incidents: set, list, overdue, close, fill in, report",
          "[remediation][incidents]") {
  TempDir dir;
  write_file(dir / "collector.conf",
             "time_zone = Asia/Shanghai\n"
             "unit_name = 某某县教育局\n"
             "unit_person = 张三\n");
  CollectorProcess collector(dir.path(), {"--config", (dir / "collector.conf").string()});
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token("办公室")).exit_code == 0);
  // A report that fails a critical check (an incident) and passes another.
  v1::AgentMessage m;
  m.set_seq(1);
  m.mutable_report()->set_facts_json("{}");
  *m.mutable_report()->add_findings() =
      finding("av.running", v1::STATUS_FAIL, v1::SEVERITY_CRITICAL);
  *m.mutable_report()->add_findings() =
      finding("host.firewall", v1::STATUS_PASS, v1::SEVERITY_HIGH);
  agent.speak({m}, "pc-remed");
  const std::string host = agent.agent_id();
  REQUIRE(collector.ctl_json({"host", host})["hostname"] == "pc-remed");

  const auto zone = TimeZone::named("Asia/Shanghai").value();
  const CivilDate today = zone.date_at(now_ms());
  const std::string deadline = format_civil_date(add_days(today, 3));
  auto set = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"remediation", "set"};
    args.insert(args.end(), extra.begin(), extra.end());
    return collector.ctl(args);
  };

  SECTION("bad input: a clear error and the exit code of its kind") {
    struct Bad {
      std::vector<std::string> args;
      int exit_code;
      std::string says;
    };
    const std::vector<Bad> bad = {
        {{"pc-nowhere", "av.running", "--measure", "m", "--person", "p", "--deadline", deadline},
         3,
         "no host"},
        {{host, "no.such_check", "--measure", "m", "--person", "p", "--deadline", deadline},
         3,
         "no check"},
        {{host, "av.running", "--measure", " ", "--person", "p", "--deadline", deadline},
         2,
         "measure must not be empty"},
        {{host, "av.running", "--measure", "m", "--person", "p", "--deadline", "2026-02-30"},
         2,
         "YYYY-MM-DD"},
        {{host, "av.running", "--measure", "m", "--person", "p", "--deadline", "next week"},
         2,
         "YYYY-MM-DD"},
        {{host, "av.running", "--measure", "m", "--person", "p", "--deadline",
          format_civil_date(add_days(today, -1))},
         2,
         "in the past"},
        {{host, "host.firewall", "--measure", "m", "--person", "p", "--deadline", deadline},
         4,
         "not fail or error"},
    };
    for (const auto& b : bad) {
      auto r = set(b.args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == b.exit_code);
      CHECK(r.err.find(b.says) != std::string::npos);
    }
    CHECK(collector.ctl_json({"remediation", "list"}).empty());
    // Forced, a passing check takes one.
    CHECK(set({host, "host.firewall", "--measure", "m", "--person", "p", "--deadline", deadline,
               "--force"})
              .exit_code == 0);
    auto close_none = collector.ctl({"remediation", "close", host, "av.running"});
    CHECK(close_none.exit_code == 3);
    auto no_incident = collector.ctl({"incidents", "set", "999999", "--cause", "x"});
    CHECK(no_incident.exit_code == 3);
    CHECK(no_incident.err.find("no incident 999999") != std::string::npos);
  }

  SECTION("set, list, overdue, close; incident fields; the report") {
    auto r = set({"pc-remed", "av.running", "--measure", "安装并启动杀毒软件", "--person", "李四",
                  "--deadline", deadline, "--note", "本周内"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto items = collector.ctl_json({"remediation", "list"});
    REQUIRE(items.size() == 1);
    CHECK(items[0]["hostname"] == "pc-remed");
    CHECK(items[0]["check"] == "av.running");
    CHECK(items[0]["measure"] == "安装并启动杀毒软件");
    CHECK(items[0]["person"] == "李四");
    CHECK(items[0]["deadline"] == deadline);
    CHECK(items[0]["status"] == "open");
    CHECK(items[0]["overdue"] == false);
    CHECK(items[0]["result"] == "fail");
    CHECK(collector.ctl_json({"remediation", "list", "--overdue"}).empty());
    CHECK(collector.ctl_json({"remediation", "list", "--department", "财务处"}).empty());
    CHECK(collector.ctl_json({"remediation", "list", "--department", "办公室"}).size() == 1);

    // The deadline moved back to yesterday (as if the days had passed): overdue now.
    collector.execute("UPDATE remediation_items SET deadline = " +
                      std::to_string(zone.start_of(today)));
    auto overdue = collector.ctl_json({"remediation", "list", "--overdue"});
    REQUIRE(overdue.size() == 1);
    CHECK(overdue[0]["overdue"] == true);
    CHECK(overdue[0]["deadline"] == format_civil_date(add_days(today, -1)));
    auto zh = collector.ctl({"--lang", "zh-CN", "remediation", "list"});
    CHECK(zh.out.find("已逾期") != std::string::npos);
    CHECK(zh.out.find("整改措施") != std::string::npos);

    // The incident: its ID, then what admins fill in.
    auto incidents = collector.ctl_json({"incidents"});
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0]["check"] == "av.running");
    CHECK(incidents[0]["unit"] == "某某县教育局");
    const std::string id = std::to_string(incidents[0]["id"].get<int64_t>());
    auto filled = collector.ctl({"incidents", "set", id, "--location", "3号楼201室", "--service",
                                 "财务系统", "--impact", "一台计算机", "--cause", "杀毒软件被停用",
                                 "--handling", "已重新启用", "--reporter", "王五", "--reported-at",
                                 format_civil_date(today)});
    INFO(filled.err);
    REQUIRE(filled.exit_code == 0);
    auto bad_text = collector.ctl({"incidents", "set", id, "--cause", std::string(3000, 'x')});
    CHECK(bad_text.exit_code == 2);
    incidents = collector.ctl_json({"incidents"});
    CHECK(incidents[0]["location"] == "3号楼201室");
    CHECK(incidents[0]["service"] == "财务系统");
    CHECK(incidents[0]["cause"] == "杀毒软件被停用");
    CHECK(incidents[0]["reporter"] == "王五");
    CHECK(incidents[0]["reported_at"].is_string());
    auto incidents_text = collector.ctl({"--lang", "zh-CN", "incidents"});
    CHECK(incidents_text.out.find("3号楼201室") != std::string::npos);
    CHECK(incidents_text.out.find("报告人") != std::string::npos);

    // The report of the period from today on: the problem list and the incident.
    auto report_json = dir / "report.json";
    REQUIRE(collector
                .ctl({"report", "--from", format_civil_date(today), "--format", "json", "-o",
                      report_json.string()})
                .exit_code == 0);
    auto report = json::parse(files::read(report_json));
    REQUIRE(report["problems"].size() == 1);
    CHECK(report["problems"][0]["hostname"] == "pc-remed");
    CHECK(report["problems"][0]["measure"] == "安装并启动杀毒软件");
    CHECK(report["problems"][0]["person"] == "李四");
    CHECK(report["problems"][0]["overdue"] == true);
    CHECK(report["problems"][0]["status"] == "open");
    REQUIRE(report["incidents"].size() == 1);
    CHECK(report["incidents"][0]["location"] == "3号楼201室");
    CHECK(report["incidents"][0]["handling"] == "已重新启用");
    CHECK(report["incidents"][0]["unit"] == "某某县教育局");
    CHECK(report["incidents"][0]["department"] == "办公室");
    auto html = dir / "report.html";
    REQUIRE(collector
                .ctl({"--lang", "zh-CN", "report", "--from", format_civil_date(today), "--format",
                      "html", "-o", html.string()})
                .exit_code == 0);
    auto page = files::read(html);
    for (const char* words : {"问题清单及整改措施", "安装并启动杀毒软件", "李四", "已逾期",
                              "tr class='overdue'", "安全事件", "3号楼201室", "财务系统", "王五"})
      CHECK(page.find(words) != std::string::npos);

    // Closed: off the list; the check still fails, so the report lists it again, without a
    // measure.
    auto closed =
        collector.ctl({"remediation", "close", "pc-remed", "av.running", "--note", "已复查"});
    REQUIRE(closed.exit_code == 0);
    CHECK(collector.ctl_json({"remediation", "list"}).empty());
    auto all = collector.ctl_json({"remediation", "list", "--all"});
    REQUIRE(all.size() == 1);
    CHECK(all[0]["status"] == "closed");
    CHECK(all[0]["note"] == "已复查");
    REQUIRE(collector
                .ctl({"report", "--from", format_civil_date(today), "--format", "json", "-o",
                      report_json.string()})
                .exit_code == 0);
    report = json::parse(files::read(report_json));
    REQUIRE(report["problems"].size() == 1);
    CHECK(report["problems"][0]["status"] == "none");
    CHECK(report["problems"][0]["measure"] == "");

    // Every change is in the audit log.
    std::set<std::string> actions;
    for (const auto& e : collector.ctl_json({"audit"})) actions.insert(e["action"]);
    for (const char* a : {"remediation.set", "remediation.close", "incident.update"})
      CHECK(actions.count(a) == 1);
  }
}
