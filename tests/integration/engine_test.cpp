// The collector's compliance engine end to end: a real collector, agents enrolled for real, and
// reports sent over mutual TLS with the agents' own identities. Where a test needs facts a probe
// would produce (interfaces, USB drives), it sends them as the agent's report: the collector
// cannot tell, and the agent-side probes are tested in tests/agent/.
#include <iconv.h>
#include <signal.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "common/error.hpp"
#include "common/files.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

v1::AgentMessage report(uint64_t seq, const json& facts, std::vector<v1::Finding> findings = {}) {
  v1::AgentMessage m;
  m.set_seq(seq);
  m.mutable_report()->set_facts_json(facts.dump());
  for (auto& f : findings) *m.mutable_report()->add_findings() = f;
  return m;
}

json network(const std::string& mac, const std::string& ip) {
  return {{"interfaces",
           {{{"name", "eth0"},
             {"mac", mac},
             {"kind", "ethernet"},
             {"addresses", {{{"family", "inet"}, {"address", ip}, {"prefix", 24}}}}}}}};
}

json usb_drive(const std::string& serial) {
  return json::array({{{"vendor_id", "0781"},
                       {"product_id", "5567"},
                       {"serial", serial},
                       {"class", "storage"},
                       {"storage", true}}});
}

json finding_of(const json& host, const std::string& check) {
  for (const auto& f : host["findings"])
    if (f["check"] == check) return f;
  return json();
}

struct TwoAgents {
  TempDir dir;
  CollectorProcess collector{dir.path()};
  AgentProcess a{dir / "a", collector}, b{dir / "b", collector};
  TwoAgents() {
    auto token = collector.create_token("Bureau/Finance", "1h", 2);
    REQUIRE(a.enroll(token).exit_code == 0);
    REQUIRE(b.enroll(token).exit_code == 0);
  }
};

}  // namespace

TEST_CASE("ledger import: good UTF-8, bad rows by line, GB18030 with Chinese headers",
          "[engine][ledger]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  write_file(
      dir / "good.csv",
      "hostname,ip,mac,department,owner,classification\npc-a,10.0.0.1,AA:BB:CC:00:00:01,Finance,"
      "Li,general\n");
  auto ok = collector.ctl_json({"ledger", "import", (dir / "good.csv").string()});
  CHECK(ok["imported"] == 1);

  write_file(
      dir / "bad.csv",
      "hostname,ip,mac\npc-b,10.0.0.2,aa:bb:cc:00:00:02\npc-c,300.1.1.1,aa:bb:cc:00:00:03\npc-d,"
      "10.0.0.4,zz\n");
  auto bad = collector.ctl({"ledger", "import", (dir / "bad.csv").string()});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("bad.csv:3: IP address '300.1.1.1'") != std::string::npos);
  CHECK(bad.err.find("bad.csv:4: MAC address 'zz'") != std::string::npos);
  CHECK(bad.err.find("nothing was imported") != std::string::npos);
  auto list = collector.ctl_json({"ledger", "list"});
  REQUIRE(list.size() == 1);  // the earlier ledger is untouched
  CHECK(list[0]["hostname"] == "pc-a");

  write_file(dir / "gb.csv",
             to_gb18030("计算机名,IP地址,MAC地址,部门,责任人,密级\r\ncw-01,10.1.0.1,aa-"
                        "bb-cc-00-01-01,财务处,张三,涉密\r\n"));
  auto gb = collector.ctl_json({"ledger", "import", (dir / "gb.csv").string()});
  CHECK(gb["encoding"] == "GB18030");
  list = collector.ctl_json({"ledger", "list"});
  REQUIRE(list.size() == 1);
  CHECK(list[0]["owner"] == "张三");
  CHECK(list[0]["classification"] == "classified");
  auto exported = collector.ctl({"ledger", "export"});
  CHECK(exported.out.rfind("\xEF\xBB\xBFhostname,ip,mac", 0) == 0);
  CHECK(exported.out.find("cw-01,10.1.0.1,aa:bb:cc:00:01:01,财务处,张三,classified") !=
        std::string::npos);

  auto audit = collector.ctl_json({"audit"});
  int imports = 0;
  for (const auto& e : audit) imports += e["action"] == "ledger.import";
  CHECK(imports == 2);  // the refused file left no trace but its error
}

TEST_CASE("ip binding and duplicate addresses are judged centrally", "[engine][ledger]") {
  TwoAgents t;
  REQUIRE(
      t.collector.ctl({"ledger", "set", "pc-a", "--ip", "10.0.0.1", "--mac", "aa:bb:cc:00:00:01"})
          .exit_code == 0);
  REQUIRE(
      t.collector.ctl({"ledger", "set", "pc-b", "--ip", "10.0.0.2", "--mac", "aa:bb:cc:00:00:02"})
          .exit_code == 0);

  t.a.speak({report(1, {{"network", network("aa:bb:cc:00:00:01", "10.0.0.1")}})}, "pc-a");
  auto ha = t.collector.ctl_json({"host", t.a.agent_id()});
  CHECK(finding_of(ha, "net.ip_binding")["status"] == "pass");
  CHECK(finding_of(ha, "net.duplicate_address")["status"] == "pass");

  // pc-b takes pc-a's address.
  t.b.speak({report(1, {{"network", network("aa:bb:cc:00:00:02", "10.0.0.1")}})}, "pc-b");
  auto hb = t.collector.ctl_json({"host", t.b.agent_id()});
  CHECK(finding_of(hb, "net.ip_binding")["status"] == "fail");
  CHECK(finding_of(hb, "net.ip_binding")["summary"].get<std::string>().find("IP changed") !=
        std::string::npos);
  CHECK(finding_of(hb, "net.duplicate_address")["summary"] ==
        "IP 10.0.0.1 is also claimed by pc-a");

  // An address-change event re-judges without waiting for a sweep.
  v1::AgentMessage ev;
  ev.set_seq(2);
  ev.mutable_event()->set_kind("net.changed");
  ev.mutable_event()->set_data_json(network("aa:bb:cc:00:00:99", "10.0.0.2").dump());
  t.b.speak({ev}, "pc-b");
  hb = t.collector.ctl_json({"host", t.b.agent_id()});
  CHECK(finding_of(hb, "net.ip_binding")["summary"].get<std::string>().find("MAC differs") !=
        std::string::npos);

  // A host the ledger does not know.
  t.a.speak({report(2, {{"network", network("aa:bb:cc:00:00:01", "10.0.0.1")}})}, "rogue-pc");
  ha = t.collector.ctl_json({"host", t.a.agent_id()});
  CHECK(finding_of(ha, "net.ip_binding")["summary"].get<std::string>().find("hostname differs") !=
        std::string::npos);

  auto history = t.collector.ctl_json({"host", t.a.agent_id(), "--history"});
  int binding_changes = 0;
  for (const auto& e : history["history"]) binding_changes += e["check"] == "net.ip_binding";
  CHECK(binding_changes == 2);  // pass, then fail
  CHECK(t.collector.ctl_json({"hosts", "--failing", "net.ip_binding"}).size() == 2);
}

TEST_CASE("USB drives: registry, cross-use between classified and general PCs, incidents",
          "[engine][usb]") {
  TwoAgents t;
  REQUIRE(
      t.collector
          .ctl({"assign", t.a.agent_id(), "--classification", "classified", "--owner", "Zhang San"})
          .exit_code == 0);
  REQUIRE(
      t.collector.ctl({"assign", t.b.agent_id(), "--classification", "general", "--owner", "Li Si"})
          .exit_code == 0);
  auto reg =
      t.collector.ctl_json({"usb", "register", "4C530001231120115142", "--vendor-id", "0781",
                            "--product-id", "5567", "--class", "general", "--owner", "Li Si"});
  CHECK(reg["warnings"].empty());
  auto generic = t.collector.ctl_json({"usb", "register", "0123456789ABCDEF", "--vendor-id", "0781",
                                       "--product-id", "5567", "--class", "classified", "--owner",
                                       "Zhang San"});
  CHECK(generic["warnings"].size() == 1);  // looks generic: warned, not trusted silently

  // The general drive on the general PC: fine.
  t.b.speak({report(1, {{"network", network("aa:bb:cc:00:00:02", "10.0.0.2")},
                        {"usb", usb_drive("4C530001231120115142")}})},
            "pc-b");
  auto hb = t.collector.ctl_json({"host", t.b.agent_id()});
  CHECK(finding_of(hb, "usb.cross_use")["status"] == "pass");
  CHECK(finding_of(hb, "usb.unregistered_storage")["status"] == "pass");

  // The same drive on the classified PC: critical.
  t.a.speak({report(1, {{"usb", usb_drive("4C530001231120115142")}})}, "pc-a");
  auto ha = t.collector.ctl_json({"host", t.a.agent_id()});
  CHECK(finding_of(ha, "usb.cross_use")["status"] == "fail");
  CHECK(finding_of(ha, "usb.cross_use")["severity"] == "critical");

  // Back on the general PC it has now been on both kinds.
  t.b.speak({report(2, {{"usb", usb_drive("4C530001231120115142")}})}, "pc-b");
  hb = t.collector.ctl_json({"host", t.b.agent_id()});
  CHECK(finding_of(hb, "usb.cross_use")["summary"].get<std::string>().find("both") !=
        std::string::npos);

  // An unregistered drive, confirmed centrally.
  t.b.speak({report(3, {{"usb", usb_drive("UNKNOWN-DRIVE-77")}})}, "pc-b");
  hb = t.collector.ctl_json({"host", t.b.agent_id()});
  CHECK(finding_of(hb, "usb.unregistered_storage")["status"] == "fail");

  auto history = t.collector.ctl_json({"usb", "history", "4C530001231120115142"});
  CHECK(history["sightings"].size() == 2);  // (pc-b, general) and (pc-a, classified)

  auto incidents = t.collector.ctl_json({"incidents"});
  REQUIRE(incidents.size() >= 2);
  bool found = false;
  for (const auto& i : incidents)
    if (i["hostname"] == "pc-a") {
      found = true;
      CHECK(i["owner"] == "Zhang San");
      CHECK(i["department"] == "Bureau/Finance");
      CHECK(i["check"] == "usb.cross_use");
      CHECK_FALSE(i["time"].get<std::string>().empty());
    }
  CHECK(found);
  for (const auto& i : incidents)
    if (i["hostname"] == "pc-b") CHECK(i["ip"] == "10.0.0.2");
  CHECK(t.collector.ctl_json({"hosts", "--classification", "classified"}).size() == 1);
}

TEST_CASE("a policy change reaches a connected agent at once and stays cached",
          "[engine][policy]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Bureau/Finance/Office 1")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  auto policy_file = agent.state_dir() / "policy.json";
  auto cached = [&] {
    auto text = files::read_if_exists(policy_file);
    return text ? json::parse(*text, nullptr, false) : json();
  };

  // Bad values are refused with the key named, and nothing changes.
  auto bad = collector.ctl({"policy", "set", "antivirus.signature_max_age_days=0"});
  CHECK(bad.exit_code == exit_code(ErrorKind::invalid));  // 2: the input is wrong
  CHECK(bad.err.find("antivirus.signature_max_age_days") != std::string::npos);

  REQUIRE(collector
              .ctl({"policy", "set", "--department", "Bureau", "antivirus.signature_max_age_days=3",
                    "usb.mode=block"})
              .exit_code == 0);
  CHECK(wait_for([&] {
    auto p = cached();
    return p.is_object() && p["antivirus"]["signature_max_age_days"] == 3;
  }));
  CHECK(cached()["usb"]["mode"] == "block");
  // The office below overrides one key and inherits the rest.
  REQUIRE(collector
              .ctl({"policy", "set", "--department", "Bureau/Finance/Office 1",
                    "antivirus.signature_max_age_days=2"})
              .exit_code == 0);
  CHECK(wait_for([&] { return cached()["antivirus"]["signature_max_age_days"] == 2; }));
  CHECK(cached()["usb"]["mode"] == "block");
  auto effective = collector.ctl_json(
      {"policy", "show", "--department", "Bureau/Finance/Office 1", "--effective"});
  CHECK(effective["effective"]["usb"]["mode"] == "block");

  // Registering a drive changes the agent's allow list too.
  REQUIRE(collector
              .ctl({"usb", "register", "AA1234567XYZ", "--vendor-id", "0781", "--product-id",
                    "5567", "--class", "general", "--owner", "Li"})
              .exit_code == 0);
  CHECK(wait_for([&] { return cached()["usb"]["allowed_storage"].size() == 1; }));

  // Offline, the agent keeps the policy it has (the file is what it loads at start).
  agent.stop();
  auto before = cached();
  CHECK(before["antivirus"]["signature_max_age_days"] == 2);
  auto exported = collector.ctl({"policy", "export", "--department", "Bureau"});
  CHECK(json::parse(exported.out)["usb"]["mode"] == "block");
  auto audit = collector.ctl_json({"audit"});
  int policy_sets = 0;
  for (const auto& e : audit) policy_sets += e["action"] == "policy.set";
  CHECK(policy_sets == 3);  // these two, and the test harness's (scheduled sweeps off)
}

TEST_CASE("a host that was offline during a sweep runs it when it comes back", "[engine][sweep]") {
  TwoAgents t;
  t.a.start({"--no-startup-sweep"});
  REQUIRE(t.collector.wait_online(1));
  auto sweep = t.collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
  CHECK(sweep["expected"] == 1);
  CHECK(sweep["answered"] == 1);
  CHECK(sweep["deferred"] == 1);
  auto id = std::to_string(sweep["sweep_id"].get<int64_t>());

  t.b.start({"--no-startup-sweep"});
  CHECK(wait_for(
      [&] {
        return t.collector.ctl_json({"sweep", "show", id})["deferred_answered"] == 1;
      },
      std::chrono::seconds(60)));
  CHECK(t.collector.scalar("SELECT count(DISTINCT host_id) FROM reports WHERE sweep_id = " + id) ==
        2);
  auto offline = t.collector.ctl_json({"hosts", "--offline", "1s"});
  CHECK(offline.empty());  // both are connected now
  auto sweeps = t.collector.ctl_json({"sweep", "list"});
  REQUIRE(sweeps.size() == 1);
  CHECK(sweeps[0]["kind"] == "manual");
}

TEST_CASE("a scheduled sweep fires from the policy's schedule", "[engine][sweep]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  REQUIRE(collector.ctl({"policy", "set", "sweep.schedule=* * * * *", "sweep.spread_seconds=2"})
              .exit_code == 0);
  // Every minute; the scheduler looks every 20 s.
  CHECK(wait_for(
      [&] { return collector.scalar("SELECT count(*) FROM sweeps WHERE kind = 'scheduled'") >= 1; },
      std::chrono::seconds(90)));
  CHECK(wait_for(
      [&] {
        return collector.scalar(
                   "SELECT count(*) FROM reports r JOIN sweeps s ON s.id = r.sweep_id "
                   "WHERE s.kind = 'scheduled'") >= 1;
      },
      std::chrono::seconds(30)));
}

TEST_CASE("the report's numbers match the database, in JSON, CSV and HTML", "[engine][report]") {
  TwoAgents t;
  auto fail = [](const std::string& check) {
    v1::Finding f;
    f.set_check(check);
    f.set_status(v1::STATUS_FAIL);
    f.set_severity(v1::SEVERITY_HIGH);
    f.set_summary(check + " failed");
    return f;
  };
  auto pass = [](const std::string& check) {
    v1::Finding f;
    f.set_check(check);
    f.set_status(v1::STATUS_PASS);
    f.set_severity(v1::SEVERITY_INFO);
    f.set_summary(check + " ok");
    return f;
  };
  t.a.speak({report(1, json::object(), {fail("av.running"), pass("patch.security_updates")}),
             report(2, json::object(), {pass("av.running"), pass("patch.security_updates")})},
            "pc-a");
  t.b.speak({report(1, json::object(), {fail("av.running"), fail("patch.security_updates")})},
            "pc-b");

  std::string from = "2020-01-01", to = "2100-01-01";
  auto r =
      json::parse(t.collector.ctl({"report", "--from", from, "--to", to, "--format", "json"}).out);
  CHECK(r["summary"]["hosts"] ==
        t.collector.scalar("SELECT count(*) FROM hosts WHERE revoked = FALSE"));
  CHECK(r["summary"]["failing_hosts"] ==
        t.collector.scalar(
            "SELECT count(DISTINCT host_id) FROM latest_results WHERE status = 'fail'"));
  CHECK(r["failing_hosts"].size() == 1);
  CHECK(r["failing_hosts"][0]["hostname"] == "pc-b");
  auto pass_count = t.collector.scalar("SELECT count(*) FROM latest_results WHERE status = 'pass'");
  auto judged = t.collector.scalar(
      "SELECT count(*) FROM latest_results WHERE status IN ('pass','fail','error')");
  CHECK(r["summary"]["compliance_rate"].get<double>() ==
        Approx(static_cast<double>(pass_count) / judged));
  // Three failures began in the period; none is past its 7-day deadline yet, one is already fixed.
  CHECK(r["remediation"]["overall"]["fixed_within_deadline"] == 1);
  CHECK(r["remediation"]["overall"]["open_within_deadline"] == 2);
  // Each requirement carries the fleet's results for the check that evidences it.
  bool saw_av_running = false;
  for (const auto& q : r["requirements"]) {
    if (q["check"] != "av.running") continue;
    saw_av_running = true;
    CHECK(q["rule"] == "the antivirus is running");
    CHECK(q["standard"].get<std::string>().find("malicious code prevention") != std::string::npos);
    CHECK(q["clause"] == "8.1.4.5");
    CHECK(q["fail"] == t.collector.scalar("SELECT count(*) FROM latest_results WHERE check_id = "
                                          "'av.running' AND status = 'fail'"));
    CHECK(q["pass"] == t.collector.scalar("SELECT count(*) FROM latest_results WHERE check_id = "
                                          "'av.running' AND status = 'pass'"));
  }
  CHECK(saw_av_running);
  int64_t findings = 0;
  for (const auto& d : r["trend"]) findings += d["findings"].get<int64_t>();
  CHECK(findings == t.collector.scalar("SELECT sum(findings_count) FROM reports"));

  auto csv = t.collector.ctl({"report", "--from", from, "--to", to, "--format", "csv"}).out;
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("pc-b,Bureau/Finance") != std::string::npos);
  CHECK(csv.find("Antivirus running (av.running),the antivirus is running,GB/T 22239-2019 8.1.4.5 "
                 "Computing environment: malicious code prevention") != std::string::npos);
  auto out = t.dir / "report.html";
  REQUIRE(t.collector
              .ctl({"report", "--from", from, "--to", to, "--format", "html", "-o", out.string()})
              .exit_code == 0);
  auto html = files::read(out);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("pc-b") != std::string::npos);
  CHECK(html.find("malicious code prevention") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);  // self-contained and static
  CHECK(html.find("src=") == std::string::npos);     // no external resources
  CHECK(html.find("href=") == std::string::npos);
  auto bad = t.collector.ctl({"report", "--from", "yesterday", "--to", to});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("--from 'yesterday' is not a date") != std::string::npos);
}

TEST_CASE("a remediation rate is not claimed while no failure is due yet", "[engine][report]") {
  TwoAgents t;
  v1::Finding f;
  f.set_check("av.running");
  f.set_status(v1::STATUS_FAIL);
  f.set_severity(v1::SEVERITY_HIGH);
  f.set_summary("no antivirus running");
  t.b.speak({report(1, json::object(), {f})}, "pc-b");
  std::string from = "2020-01-01", to = "2100-01-01";
  auto r =
      json::parse(t.collector.ctl({"report", "--from", from, "--to", to, "--format", "json"}).out);
  CHECK(r["remediation"]["overall"]["open_within_deadline"] == 1);
  CHECK(r["remediation"]["overall"]["failures_due"] == 0);
  CHECK(r["summary"]["remediation_rate"].is_null());  // not 1.0: nothing was due
  auto out = t.dir / "report.html";
  REQUIRE(t.collector
              .ctl({"report", "--from", from, "--to", to, "--format", "html", "-o", out.string()})
              .exit_code == 0);
  auto html = files::read(out);
  CHECK(html.find("<b>none due yet</b>remediated in time") != std::string::npos);
  CHECK(html.find("100.0%</b>remediated in time") == std::string::npos);
  auto csv = t.collector.ctl({"report", "--from", from, "--to", to, "--format", "csv"}).out;
  CHECK(csv.find("none due yet") != std::string::npos);
}
