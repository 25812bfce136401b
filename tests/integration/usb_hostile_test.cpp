// A hostile USB device against a real agent: a storage gadget whose descriptor strings are a
// 60-character Chinese product name (longer than the agent keeps, multibyte), invalid UTF-8,
// newlines, an ANSI escape and a NUL. Device descriptors are attacker-controlled, so none of this
// may stop the agent: `check` prints its report, the daemon stays up, reports the device with
// cleaned strings and, in block mode, deauthorizes it. The agents run under umockdev-wrapper and
// inherit this test's testbed (UMOCKDEV_DIR), so their libudev sees the simulated device.
#include <umockdev.h>
#include <catch2/catch.hpp>

#include "common/files.hpp"
#include "common/text.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

// The gadget (tests/agent/usb/fixtures/hostile-gadget.umockdev); returns its sysfs path.
std::string add_hostile_stick(UMockdevTestbed* tb) {
  std::string text = umockdev_records(std::string(USB_FIXTURES) + "/hostile-gadget.umockdev");
  GError* err = nullptr;
  bool ok = umockdev_testbed_add_from_string(tb, text.c_str(), &err);
  INFO((err ? err->message : ""));
  REQUIRE(ok);
  return "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-7";
}

const json* device(const json& usb, const std::string& vendor) {
  for (const auto& d : usb)
    if (d.value("vendor_id", "") == vendor) return &d;
  return nullptr;
}

void check_clean(const json& d) {
  auto product = d["product"].get<std::string>();
  CHECK(text::is_valid_utf8(product));
  CHECK(product.size() <= 128);
  CHECK(product.size() % 3 == 0);  // whole characters only
  CHECK(product.rfind("安全移动存储设备", 0) == 0);
  auto manufacturer = d["manufacturer"].get<std::string>();
  CHECK(text::is_valid_utf8(manufacturer));
  CHECK(manufacturer.find("Evil") != std::string::npos);
  auto serial = d["serial"].get<std::string>();
  CHECK(serial == "SERIAL[31m9");  // controls dropped, cut at the NUL as the kernel hands it
}

json finding_of(const json& host, const std::string& check) {
  for (const auto& f : host["findings"])
    if (f["check"] == check) return f;
  return json();
}

}  // namespace

// [any-backend]: `warden-agent check` runs without a collector.
TEST_CASE("check: a device with hostile descriptor strings is reported, cleaned",
          "[any-backend][usb][umockdev][security]") {
  UMockdevTestbed* tb = umockdev_testbed_new();  // sets UMOCKDEV_DIR for the agent we run
  add_hostile_stick(tb);
  TempDir state;
  auto r = run({"umockdev-wrapper", binary("warden-agent").string(), "check", "--json",
                "--state-dir", state.path().string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto out = json::parse(r.out);
  auto* d = device(out["facts"]["usb"], "abcd");
  REQUIRE(d);
  CHECK((*d)["class"] == "storage");
  check_clean(*d);
  bool flagged = false;
  for (const auto& f : out["findings"])
    flagged |= f["check"] == "usb.unregistered_storage" && f["status"] == "fail";
  CHECK(flagged);
  g_object_unref(tb);
}

TEST_CASE("run: the daemon survives a hostile device, reports it and blocks it",
          "[usb][umockdev][security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token("Bureau/Finance", "1h", 1)).exit_code == 0);
  REQUIRE(collector.ctl({"policy", "set", "usb.mode=block"}).exit_code == 0);

  // Plugged in before the daemon starts, as when it crash-looped: its watcher enumerates it at
  // once, and the sweep reads it again. (The hot-plug path is covered in agent_usb_tests, whose
  // binary runs under umockdev-wrapper and can send uevents.)
  UMockdevTestbed* tb = umockdev_testbed_new();
  std::string path = add_hostile_stick(tb);
  agent.launcher = {"umockdev-wrapper"};
  agent.start({"--no-startup-sweep"});  // the sweep below runs with the block policy
  INFO(agent.log());
  REQUIRE(collector.wait_online(1));
  REQUIRE(collector.ctl({"sweep", "run", "--wait", "--timeout", "60s"}).exit_code == 0);
  CHECK(agent.running());

  auto host = collector.ctl_json({"host", agent.agent_id()});
  auto f = finding_of(host, "usb.unregistered_storage");
  CHECK(f["status"] == "fail");
  CHECK(text::is_valid_utf8(f["summary"].get<std::string>()));
  const json* reported = nullptr;
  for (const auto& d : host["facts"]["usb"])
    if (d.value("vendor_id", "") == "abcd") reported = &d;
  REQUIRE(reported);
  check_clean(*reported);
  gchar* root = umockdev_testbed_get_root_dir(tb);
  auto authorized = files::read_if_exists(std::string(root) + path + "/authorized", 8).value_or("");
  g_free(root);
  CHECK(authorized.substr(0, 1) == "0");

  // And it keeps working: a second sweep is answered too.
  REQUIRE(collector.ctl({"sweep", "run", "--wait", "--timeout", "60s"}).exit_code == 0);
  CHECK(agent.running());
  agent.stop();
  g_object_unref(tb);
}
