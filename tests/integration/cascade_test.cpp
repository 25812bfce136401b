// The cascade of collectors (issue 14, docs/cascade.md) with real processes on loopback: a
// county's collector enrolled with its city's, the city's with the province's, each forwarding
// over mutual TLS 1.3. Faults: the level above down for the whole run and then back, a unit
// SIGKILLed while it forwards; nothing lost, nothing counted twice. Bad input: tokens of the wrong
// kind, a name taken, an agent's certificate forwarding, a malformed batch.
#include <signal.h>

#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "common/files.hpp"
#include "common/tls.hpp"
#include "tests/integration/fleet.hpp"
#include "tests/integration/veth_namespace.hpp"
#include "warden/v1/cascade.grpc.pb.h"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

// A collector whose link to the level above forwards every second.
std::vector<std::string> fast_link(const std::filesystem::path& dir, bool withhold_facts = false) {
  auto conf = dir / "collector.conf";
  write_file(conf, std::string("upstream_interval_seconds = 1\n") +
                       (withhold_facts ? "upstream_facts = withhold\n" : ""));
  return {"--config", conf.string()};
}

CommandResult upstream_enroll(const CollectorProcess& upper, const CollectorProcess& unit,
                              const std::string& name, const std::string& token) {
  auto token_file = unit.data_dir().parent_path() / ("token-" + name);
  write_file(token_file, token + "\n");
  return run({binary("warden-collector").string(), "upstream", "enroll", "--data-dir",
              unit.data_dir().string(), "--upstream", upper.address(), "--token-file",
              token_file.string(), "--ca-fingerprint", upper.fingerprint(), "--unit-name", name});
}

std::string unit_token(const CollectorProcess& upper, const std::string& department) {
  auto r = upper.ctl({"token", "create", "--department", department, "--kind", "unit"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

// Enrols `unit` with `upper` and restarts it, so it forwards.
void make_unit(const CollectorProcess& upper, CollectorProcess& unit, const std::string& name) {
  auto r = upstream_enroll(upper, unit, name, unit_token(upper, "Units/" + name));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  unit.stop();
  unit.start();
}

json unit_row(const CollectorProcess& c, const std::string& name) {
  for (const auto& u : c.ctl_json({"units"}))
    if (u["name"] == name) return u;
  return json();
}

// `count` incidents on `agent`, from sequence number `seq` on (2 * count reports).
uint64_t raise_incidents(AgentProcess& agent, uint64_t seq, int count) {
  std::vector<v1::AgentMessage> batch;
  for (int i = 0; i < count; ++i) {
    batch.push_back(critical_av_report(seq++, true));
    batch.push_back(critical_av_report(seq++, false));
  }
  agent.speak(batch);
  return seq;
}

int64_t incidents_below(const CollectorProcess& c) {
  return c.scalar("SELECT count(*) FROM unit_incidents");
}

}  // namespace

TEST_CASE("three levels: a county's hosts, incidents and sweeps reach the province", "[cascade]") {
  TempDir dir;
  CollectorProcess province(dir / "province");
  CollectorProcess city(dir / "city", fast_link(dir / "city"));
  CollectorProcess county(dir / "county", fast_link(dir / "county"));
  make_unit(province, city, "city");
  make_unit(city, county, "county");

  AgentProcess pc(dir / "pc", county), speaker(dir / "speaker", county);
  auto token = county.create_token("Office", "1h", 2);
  REQUIRE(pc.enroll(token).exit_code == 0);
  REQUIRE(speaker.enroll(token).exit_code == 0);
  pc.start();
  REQUIRE(county.wait_online(1));
  auto swept = county.ctl({"sweep", "run", "--wait", "--timeout", "60s"});
  INFO(swept.out << swept.err << county.log());
  REQUIRE(swept.exit_code == 0);
  raise_incidents(speaker, 1, 3);

  // The province lists the city and, through it, the county, with the county's figures.
  REQUIRE(wait_for([&] { return unit_row(province, "city/county")["hosts"] == 2; },
                   std::chrono::seconds(30)));
  // What the province holds converges on what the county sees: online as the county counts it
  // (the speaker's session ends some time after it spoke), both hosts reporting, and the real
  // PC's failing checks.
  auto failing_at_county = [&] {
    std::set<std::string> out;
    auto host = county.ctl_json({"host", pc.agent_id()});
    for (const auto& f : host["findings"])
      if (f["status"] == "fail") out.insert(f["check"].get<std::string>());
    return out;
  };
  auto failing_at_province = [&] {
    std::set<std::string> out;
    for (const auto& h : province.ctl_json({"hosts", "--unit", "city/county"}))
      if (h["agent_id"] == pc.agent_id())
        for (const auto& c : h["failing"]) out.insert(c.get<std::string>());
    return out;
  };
  bool converged = wait_for(
      [&] {
        auto row = unit_row(province, "city/county");
        return row["online"] == county.ctl_json({"status"})["hosts"]["online"] &&
               row["reporting"] == 2 && failing_at_county() == failing_at_province();
      },
      std::chrono::seconds(30));
  INFO("province: " << unit_row(province, "city/county").dump()
                    << "; county online: " << county.ctl_json({"status"})["hosts"]["online"]
                    << "; failing at county: " << json(failing_at_county()).dump()
                    << ", at the province: " << json(failing_at_province()).dump());
  REQUIRE(converged);
  CHECK(unit_row(province, "city")["hosts"] == 0);
  CHECK(unit_row(city, "county")["hosts"] == 2);
  json mine;
  for (const auto& h : province.ctl_json({"hosts", "--unit", "city/county"}))
    if (h["agent_id"] == pc.agent_id()) mine = h;
  REQUIRE(mine.is_object());
  CHECK(mine["department"] == "Office");
  auto status = province.ctl_json({"status", "--unit", "city/county"});
  CHECK(status["hosts"]["total"] == 2);
  CHECK(status["hosts"]["online"].get<int>() >= 1);

  // Every incident reaches both levels once: the speaker's three and the real PC's own.
  auto raised = [&] {
    return county.scalar(
        "SELECT count(*) FROM status_history WHERE to_status = 'fail' AND severity = 'critical'");
  };
  REQUIRE(raised() >= 3);
  REQUIRE(
      wait_for([&] { return incidents_below(province) == raised(); }, std::chrono::seconds(20)));
  CHECK(incidents_below(city) == raised());
  std::this_thread::sleep_for(std::chrono::seconds(3));  // more forwards: no more incidents
  CHECK(incidents_below(province) == raised());
  REQUIRE(wait_for([&] { return unit_row(province, "city/county")["reporting"] == 2; }));
  // `wardenctl incidents` at the province lists them, with the unit they happened in.
  int from_county = 0;
  for (const auto& i : province.ctl_json({"incidents"}))
    if (i["unit"] == "city/county" && i["hostname"] == "pc-test") ++from_county;
  CHECK(from_county == 3);

  // The province asks the county for a sweep: the city relays it, the county runs it, and the
  // outcome comes back up.
  auto asked = province.ctl({"sweep", "run", "--unit", "city/county"});
  INFO(asked.out << asked.err);
  REQUIRE(asked.exit_code == 0);
  CHECK(unit_row(province, "city/county")["pending_sweeps"] == 1);
  REQUIRE(wait_for(
      [&] {
        for (const auto& s : county.ctl_json({"sweep", "list"}))
          if (s["requested_by"] == "level above") return true;
        return false;
      },
      std::chrono::seconds(30)));
  REQUIRE(wait_for([&] { return unit_row(province, "city/county")["pending_sweeps"] == 0; },
                   std::chrono::seconds(30)));

  // The province's report lists each unit below and rolls everything up (the province has no
  // hosts of its own); the HTML has the section too.
  auto report = province.ctl({"report", "--format", "json"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  auto rj = json::parse(report.out);
  REQUIRE(rj["units"].size() == 2);
  CHECK(rj["units"][1]["name"] == "city/county");
  CHECK(rj["units"][1]["hosts"] == 2);
  CHECK(rj["rolled_up"]["hosts"] == 2);
  CHECK(rj["rolled_up"]["failing_hosts"] == rj["units"][1]["failing_hosts"]);
  CHECK(rj["rolled_up"]["checks"].size() > 0);
  auto html = province.ctl({"--lang", "zh-CN", "report", "--format", "html"});
  CHECK(html.out.find("下级单位") != std::string::npos);
  CHECK(html.out.find("city/county") != std::string::npos);

  // Unknown units are a clear error.
  auto unknown = province.ctl({"hosts", "--unit", "nowhere"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err.find("nowhere") != std::string::npos);
  CHECK(province.ctl({"status", "--unit", "city/elsewhere"}).exit_code == 3);
}

TEST_CASE("a unit forwards what it saw while the level above was down, and a SIGKILL loses nothing",
          "[cascade][fault]") {
  TempDir dir;
  CollectorProcess upper(dir / "upper");
  CollectorProcess unit(dir / "unit", fast_link(dir / "unit"));
  make_unit(upper, unit, "county");
  AgentProcess speaker(dir / "speaker", unit);
  REQUIRE(speaker.enroll(unit.create_token("Office")).exit_code == 0);

  // The level above is down for the whole run of incidents.
  upper.stop();
  uint64_t seq = raise_incidents(speaker, 1, 5);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the unit tries, and backs off
  upper.start();
  REQUIRE(wait_for([&] { return incidents_below(upper) == 5; }, std::chrono::seconds(30)));
  REQUIRE(wait_for([&] { return unit_row(upper, "county")["hosts"] == 1; }));

  // SIGKILL the unit while incidents are going up, three times over.
  for (int round = 0; round < 3; ++round) {
    seq = raise_incidents(speaker, seq, 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 400 * round));
    REQUIRE(unit.stop(SIGKILL) != 0);
    unit.start();
  }
  int64_t raised = unit.scalar(
      "SELECT count(*) FROM status_history WHERE to_status = 'fail' AND severity = 'critical'");
  CHECK(raised == 65);
  INFO(unit.log());
  REQUIRE(wait_for([&] { return incidents_below(upper) == raised; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(incidents_below(upper) == raised);  // and no more: each exactly once
  CHECK(upper.scalar("SELECT count(DISTINCT source_id) FROM unit_incidents") == raised);
}

TEST_CASE("a unit over its forwarding limit is slowed down and loses nothing", "[cascade][fault]") {
  TempDir dir;
  auto upper_conf = dir / "upper.conf";
  write_file(upper_conf, "unit_forwards_per_second = 0.2\nunit_burst_forwards = 2\n");
  CollectorProcess upper(dir / "upper", {"--config", upper_conf.string()});
  CollectorProcess unit(dir / "unit", fast_link(dir / "unit"));
  make_unit(upper, unit, "county");
  AgentProcess speaker(dir / "speaker", unit);
  REQUIRE(speaker.enroll(unit.create_token("Office")).exit_code == 0);
  // Incidents in three bursts: with a link every second the unit would forward about ten
  // batches; the level above takes two at once and one every five seconds.
  uint64_t seq = 1;
  for (int round = 0; round < 3; ++round) {
    seq = raise_incidents(speaker, seq, 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  INFO(upper.log());
  REQUIRE(wait_for([&] { return upper.log().find("over its limit") != std::string::npos; },
                   std::chrono::seconds(15)));
  REQUIRE(wait_for([&] { return incidents_below(upper) == 9; }, std::chrono::seconds(40)));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(incidents_below(upper) == 9);  // each once
}

TEST_CASE("a unit that withholds facts still sends every result", "[cascade]") {
  TempDir dir;
  CollectorProcess upper(dir / "upper");
  CollectorProcess unit(dir / "unit", fast_link(dir / "unit", true));
  make_unit(upper, unit, "secret-bureau");
  AgentProcess pc(dir / "pc", unit);
  REQUIRE(pc.enroll(unit.create_token("Office")).exit_code == 0);
  pc.start();
  REQUIRE(unit.wait_online(1));
  REQUIRE(unit.ctl({"sweep", "run", "--wait", "--timeout", "60s"}).exit_code == 0);
  auto local = unit.ctl_json({"hosts"});
  REQUIRE(local.size() == 1);
  REQUIRE_FALSE(local[0]["os"].get<std::string>().empty());
  json up;
  REQUIRE(wait_for(
      [&] {
        up = upper.ctl_json({"hosts", "--unit", "secret-bureau"});
        return up.size() == 1 && up[0]["failing"] == local[0]["failing"];
      },
      std::chrono::seconds(30)));
  CHECK(up[0]["hostname"] == local[0]["hostname"]);
  CHECK(up[0]["os"] == "");
  CHECK(up[0]["address"] == "");
  CHECK(up[0]["owner"] == "");
  CHECK(upper.scalar("SELECT count(*) FROM unit_hosts WHERE ip <> '' OR mac <> ''") == 0);
  CHECK(upper.scalar("SELECT count(*) FROM unit_results") > 0);
}

TEST_CASE(
    "tokens of the wrong kind, a name taken, an agent's certificate and a bad batch are "
    "refused",
    "[cascade][security]") {
  TempDir dir;
  CollectorProcess upper(dir / "upper");
  CollectorProcess unit(dir / "unit");
  CollectorProcess other(dir / "other");

  // An agent token does not enrol a unit; a unit token does not enrol a PC.
  auto agent_token = upper.create_token("Office");
  auto wrong = upstream_enroll(upper, unit, "county", agent_token);
  CHECK(wrong.exit_code != 0);
  CHECK(wrong.err.find("enrolls a PC") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(unit.data_dir() / "upstream" / "upstream.json"));
  AgentProcess pc(dir / "pc", upper);
  auto pc_wrong = pc.enroll(unit_token(upper, "Units"));
  CHECK(pc_wrong.exit_code != 0);
  CHECK((pc_wrong.out + pc_wrong.err).find("unit") != std::string::npos);

  // A name is one unit's.
  REQUIRE(upstream_enroll(upper, unit, "county", unit_token(upper, "Units")).exit_code == 0);
  CHECK(files::mode_of(unit.data_dir() / "upstream" / "unit.key") == 0600);
  auto taken = upstream_enroll(upper, other, "county", unit_token(upper, "Units"));
  CHECK(taken.exit_code != 0);
  CHECK(taken.err.find("already enrolled") != std::string::npos);

  // An agent's certificate is no unit.
  REQUIRE(pc.enroll(agent_token).exit_code == 0);
  auto pc_state = dir / "pc" / "state";
  auto ca = files::read(pc_state / "ca.crt");
  auto forward = [&](const std::string& cert, const std::string& key, const v1::UnitBatch& b,
                     v1::UnitAck* ack) {
    auto stub = v1::CascadeService::NewStub(tls::collector_channel(upper.address(), ca, cert, key));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->Forward(&ctx, b, ack);
  };
  v1::UnitBatch batch;
  batch.set_seq(1);
  auto* h = batch.add_hosts();
  h->set_agent_id("a-forged");
  h->set_hostname("forged");
  v1::UnitAck ack;
  auto as_agent = forward(files::read(pc_state / "agent.crt"), files::read(pc_state / "agent.key"),
                          batch, &ack);
  CHECK(as_agent.error_code() == grpc::StatusCode::PERMISSION_DENIED);

  // The unit's own certificate with a malformed batch: refused, nothing stored.
  auto creds = unit.data_dir() / "upstream";
  auto* c = h->add_checks();
  c->set_check("av.running");
  c->set_status("maybe");
  auto bad = forward(files::read(creds / "unit.crt"), files::read(creds / "unit.key"), batch, &ack);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message().find("unknown status") != std::string::npos);
  c->set_status("fail");
  h->set_origin("a//b");
  auto bad_origin =
      forward(files::read(creds / "unit.crt"), files::read(creds / "unit.key"), batch, &ack);
  CHECK(bad_origin.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(upper.scalar("SELECT count(*) FROM unit_hosts") == 0);
  // And a good one is applied.
  h->set_origin("");
  auto good =
      forward(files::read(creds / "unit.crt"), files::read(creds / "unit.key"), batch, &ack);
  INFO(good.error_message());
  CHECK(good.ok());
  CHECK(ack.applied_seq() == 1);
  CHECK(upper.scalar("SELECT count(*) FROM unit_hosts WHERE failing_checks = 'av.running'") == 1);

  // Revoked: the certificate forwards no more, the unit is gone from the list, its name is free.
  auto revoked = upper.ctl({"units", "revoke", "county"});
  INFO(revoked.out << revoked.err);
  REQUIRE(revoked.exit_code == 0);
  CHECK(upper.ctl_json({"units"}).empty());
  batch.set_seq(2);
  auto after =
      forward(files::read(creds / "unit.crt"), files::read(creds / "unit.key"), batch, &ack);
  CHECK(after.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(upper.scalar("SELECT count(*) FROM unit_hosts") == 0);
  CHECK(upper.ctl({"units", "revoke", "county"}).exit_code == 3);
  auto again = upstream_enroll(upper, other, "county", unit_token(upper, "Units"));
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(upper.ctl_json({"audit"}).dump().find("unit.revoke") != std::string::npos);
}

// [sqlite]: the level above runs in a network namespace of its own, where the test's PostgreSQL
// on the host's loopback cannot be reached. The PostgreSQL partition (a cut between a collector
// and its database) is in postgresql_collectors_test.cpp.
TEST_CASE("a link cut between a unit and the level above loses nothing and counts nothing twice",
          "[sqlite][cascade][netns]") {
  // The level above in a network namespace of its own, reached over a veth pair; the test cuts
  // the link and restores it.
  VethNamespace link("wcs", 8);
  TempDir dir;
  CollectorProcess upper(dir / "upper", {}, link.launcher(), link.there());
  CollectorProcess unit(dir / "unit", fast_link(dir / "unit"));
  make_unit(upper, unit, "county");
  AgentProcess speaker(dir / "speaker", unit);
  REQUIRE(speaker.enroll(unit.create_token("Office")).exit_code == 0);
  uint64_t seq = raise_incidents(speaker, 1, 3);
  REQUIRE(wait_for([&] { return incidents_below(upper) == 3; }, std::chrono::seconds(30)));

  // Cut: what happens meanwhile stays at the unit.
  link.cut();
  raise_incidents(speaker, seq, 5);
  std::this_thread::sleep_for(std::chrono::seconds(15));
  CHECK(incidents_below(upper) == 3);
  CHECK(unit.running());
  // The unit restarts meanwhile: its stop cancels any call the level above does not answer, and
  // it exits cleanly (the grace is long: under AddressSanitizer the exit's leak check is slow on a
  // loaded machine; a stop that hangs until SIGKILL gives -9).
  {
    int stopped = unit.stop(SIGTERM, std::chrono::seconds(90));
    INFO(unit.log());  // with every thread's stack if it hung (tests/support)
    CHECK(stopped == 0);
  }
  unit.start();
  link.restore();

  // Restored: everything arrives, once.
  INFO(unit.log());
  REQUIRE(wait_for([&] { return incidents_below(upper) == 8; }, std::chrono::seconds(120)));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(incidents_below(upper) == 8);
  CHECK(upper.scalar("SELECT count(DISTINCT source_id) FROM unit_incidents") == 8);
}
