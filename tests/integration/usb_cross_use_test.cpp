// Fleet-wide USB rules with real agents: one USB stick (a umockdev recording of a SanDisk Cruzer
// Blade) seen by a general PC and then by a classified PC. The agents run under
// umockdev-wrapper and inherit this test's testbed, so their libudev sees the simulated stick.
#include <umockdev.h>
#include <catch2/catch.hpp>

#include <sstream>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {
json finding_of(const json& host, const std::string& check) {
  for (const auto& f : host["findings"])
    if (f["check"] == check) return f;
  return json();
}
}  // namespace

TEST_CASE("a general drive used on a classified PC is a critical cross-use",
          "[engine][usb][umockdev]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess general(dir / "general", collector), classified(dir / "classified", collector);
  auto token = collector.create_token("Bureau/Finance", "1h", 2);
  REQUIRE(general.enroll(token).exit_code == 0);
  REQUIRE(classified.enroll(token).exit_code == 0);
  REQUIRE(
      collector
          .ctl({"assign", general.agent_id(), "--classification", "general", "--owner", "Li Si"})
          .exit_code == 0);
  REQUIRE(collector
              .ctl({"assign", classified.agent_id(), "--classification", "classified", "--owner",
                    "Zhang San"})
              .exit_code == 0);
  REQUIRE(collector
              .ctl({"usb", "register", "4C530001231120115142", "--vendor-id", "0781",
                    "--product-id", "5567", "--class", "general", "--owner", "Li Si"})
              .exit_code == 0);

  UMockdevTestbed* tb = umockdev_testbed_new();  // sets UMOCKDEV_DIR for the agents we start
  std::string text = umockdev_records(std::string(USB_FIXTURES) + "/sandisk-cruzer-blade.umockdev");
  GError* err = nullptr;
  REQUIRE(umockdev_testbed_add_from_string(tb, text.c_str(), &err));

  general.launcher = {"umockdev-wrapper"};
  classified.launcher = {"umockdev-wrapper"};
  general.start();
  auto verdict = [&](const AgentProcess& a, const std::string& check) {
    return finding_of(collector.ctl_json({"host", a.agent_id()}), check);
  };
  INFO(general.log());
  REQUIRE(wait_for([&] { return verdict(general, "usb.cross_use").is_object(); },
                   std::chrono::seconds(60)));
  CHECK(verdict(general, "usb.cross_use")["status"] == "pass");
  CHECK(verdict(general, "usb.unregistered_storage")["status"] == "pass");

  classified.start();
  INFO(classified.log());
  REQUIRE(wait_for([&] { return verdict(classified, "usb.cross_use").is_object(); },
                   std::chrono::seconds(60)));
  auto f = verdict(classified, "usb.cross_use");
  CHECK(f["status"] == "fail");
  CHECK(f["severity"] == "critical");
  CHECK(f["summary"].get<std::string>().find("general drive is used on this classified PC") !=
        std::string::npos);

  auto history = collector.ctl_json({"usb", "history", "4C530001231120115142"});
  CHECK(history["sightings"].size() == 2);
  bool incident = false;
  for (const auto& i : collector.ctl_json({"incidents"}))
    incident |= i["agent_id"] == classified.agent_id() && i["owner"] == "Zhang San";
  CHECK(incident);
  general.stop();
  classified.stop();
  g_object_unref(tb);
}
