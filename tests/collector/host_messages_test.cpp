// The admin layer's host requests (collector/admin/host_messages.hpp): validation happens here,
// before the repositories, and the domain values map onto the API's messages field by field.
// Pure: no database.
#include <catch2/catch.hpp>

#include "collector/admin/host_messages.hpp"
#include "tests/collector/refusal.hpp"

using namespace warden;
using namespace warden::collector;

using test::refusal;

TEST_CASE("a host list's filters are checked and the classification is normalised") {
  v1::ListHostsRequest req;
  auto none = host_filter_from(req);
  CHECK(none.department.empty());
  CHECK(none.failing_check.empty());
  CHECK(none.offline_for_seconds == 0);

  req.set_department("Bureau/Finance");
  req.set_failing_check("av.running");
  req.set_classification("涉密");
  req.set_offline_for_seconds(3600);
  auto f = host_filter_from(req);
  CHECK(f.department == "Bureau/Finance");
  CHECK(f.failing_check == "av.running");
  CHECK(f.classification == "classified");
  CHECK(f.offline_for_seconds == 3600);

  std::string why;
  auto bad = req;
  bad.set_classification("secret-ish");
  CHECK(refusal([&] { host_filter_from(bad); }, &why) == ErrorKind::invalid);
  CHECK(why.find("general or classified") != std::string::npos);
  bad = req;
  bad.set_department("Bureau//Finance");
  CHECK(refusal([&] { host_filter_from(bad); }) == ErrorKind::invalid);
  bad = req;
  bad.set_failing_check("av.running'; DROP TABLE hosts");
  CHECK(refusal([&] { host_filter_from(bad); }) == ErrorKind::invalid);
  bad = req;
  bad.set_offline_for_seconds(-1);
  CHECK(refusal([&] { host_filter_from(bad); }) == ErrorKind::invalid);
}

TEST_CASE("a host change is checked field by field, and must change something") {
  v1::SetHostRequest req;
  req.set_agent_id_or_hostname("pc-1");
  std::string why;
  CHECK(refusal([&] { host_change_from(req, "alice"); }, &why) == ErrorKind::invalid);
  CHECK(why.find("nothing to change") != std::string::npos);

  req.set_classification("普通");
  req.set_owner("张三");
  auto c = host_change_from(req, "alice");
  CHECK(c.host == "pc-1");
  CHECK(c.actor == "alice");
  CHECK(c.classification == "general");
  CHECK(c.owner == "张三");
  CHECK_FALSE(c.department);  // unset stays unset

  auto bad = req;
  bad.set_owner(std::string(129, 'x'));
  CHECK(refusal([&] { host_change_from(bad, "alice"); }) == ErrorKind::invalid);
  bad = req;
  bad.set_owner("a\nb");
  CHECK(refusal([&] { host_change_from(bad, "alice"); }) == ErrorKind::invalid);
  bad = req;
  bad.set_classification("");
  CHECK(refusal([&] { host_change_from(bad, "alice"); }) == ErrorKind::invalid);
  bad = req;
  bad.set_department("/Finance");
  CHECK(refusal([&] { host_change_from(bad, "alice"); }) == ErrorKind::invalid);
}

TEST_CASE("a host's detail maps onto the API's message field by field") {
  domain::HostDetail d;
  d.host.agent_id = "a-1";
  d.host.hostname = "pc-1";
  d.host.department = "财务科";
  d.host.online = true;
  d.host.failing = {"av.running", "usb.cross_use"};
  d.host.classification = "classified";
  d.description = {"pc-1", "uos", "UOS 20", "20", "5.10", "x86_64", "m-1", "0.1.0"};
  d.cert_serial = "0A";
  d.facts_json = "{}";
  domain::StoredFinding f;
  f.check = "av.running";
  f.status = Status::fail;
  d.findings.push_back(f);
  auto m = to_message(d);
  CHECK(m.host().agent_id() == "a-1");
  CHECK(m.host().department() == "财务科");
  CHECK(m.host().online());
  CHECK(m.host().failing_size() == 2);
  CHECK(m.host().classification() == "classified");
  CHECK(m.info().os_id() == "uos");
  CHECK(m.info().machine_id() == "m-1");
  CHECK(m.info().agent_version() == "0.1.0");
  CHECK(m.cert_serial() == "0A");
  REQUIRE(m.findings_size() == 1);
  CHECK(m.findings(0).finding().check() == "av.running");
  CHECK(m.findings(0).finding().status() == v1::STATUS_FAIL);
  // What the agent sends arrives as the same description.
  auto back = from_message(m.info());
  CHECK(back.os_name == "UOS 20");
  CHECK(back.kernel == "5.10");
  CHECK(back.arch == "x86_64");
}

TEST_CASE("the fleet status counts live hosts per department and results per check") {
  domain::FleetStatusTally tally;
  tally.host("HR", false, true, false);
  tally.host("HR", false, false, true);
  tally.host("Finance", false, false, false);
  tally.host("Finance", true, true, true);  // revoked: counted as revoked only
  tally.result("av.running", Status::pass, 2);
  tally.result("av.running", Status::fail, 1);
  tally.result("fw", Status::not_applicable, 3);
  tally.result("fw", std::nullopt, 9);  // a status the schema cannot hold: not counted
  auto s = tally.take();
  CHECK(s.hosts_total == 3);
  CHECK(s.hosts_online == 1);
  CHECK(s.hosts_offline == 2);
  CHECK(s.hosts_revoked == 1);
  CHECK(s.hosts_failing == 1);
  REQUIRE(s.departments.size() == 2);
  CHECK(s.departments[0].department == "Finance");
  CHECK(s.departments[0].hosts == 1);
  CHECK(s.departments[1].online == 1);
  REQUIRE(s.checks.size() == 2);
  CHECK(s.checks[0].pass == 2);
  CHECK(s.checks[0].fail == 1);
  CHECK(s.checks[1].not_applicable == 3);
  CHECK(s.checks[1].error == 0);
  auto m = to_message(s);
  CHECK(m.hosts_offline() == 2);
  CHECK(m.departments_size() == 2);
  CHECK(m.checks(0).fail() == 1);
}
