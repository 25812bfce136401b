// libudev against umockdev testbeds built from recordings of real devices (fixtures/). The
// binary runs under umockdev-wrapper: libudev and /sys are redirected to the testbed.
#include <umockdev.h>
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "agent/report_builder.hpp"
#include "agent/usb/udev_watcher.hpp"
#include "agent/usb/usb_module.hpp"
#include "common/files.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
namespace fs = std::filesystem;

namespace {

struct Testbed {
  UMockdevTestbed* tb = umockdev_testbed_new();
  ~Testbed() { g_object_unref(tb); }
  void add(const std::string& fixture) {
    std::string text = test::umockdev_records(std::string(USB_FIXTURES) + "/" + fixture);
    GError* err = nullptr;
    bool ok = umockdev_testbed_add_from_string(tb, text.c_str(), &err);
    INFO((err ? err->message : ""));
    REQUIRE(ok);
  }
  std::string sys(const std::string& devpath) {
    gchar* dir = umockdev_testbed_get_sys_dir(tb);  // transfer full: ours to g_free
    std::string path = std::string(dir) + devpath;
    g_free(dir);
    return path;
  }
};

const UsbDevice* find(const std::vector<UsbDevice>& v, const std::string& vendor) {
  for (const auto& d : v)
    if (d.vendor_id == vendor) return &d;
  return nullptr;
}

Finding finding(const std::vector<Finding>& f, const std::string& id) {
  for (const auto& x : f)
    if (x.check == id) return x;
  return {};
}

}  // namespace

TEST_CASE("enumeration: a stick, a keyboard and a phone, classified, with block devices and mounts",
          "[umockdev]") {
  Testbed t;
  REQUIRE(umockdev_in_mock_environment());
  t.add("sandisk-cruzer-blade.umockdev");
  t.add("logitech-keyboard.umockdev");
  t.add("android-phone-mtp.umockdev");
  test::TempDir root;
  fs::create_directories(root / "proc/self");
  std::ofstream(root / "proc/self/mounts") << "/dev/sdb1 /media/li/CRUZER vfat rw,nosuid 0 0\n";
  ProbeContext ctx;
  ctx.root = root.path();
  LinuxUsbProbe probe(ctx);
  auto devices = probe.collect();
  REQUIRE(devices.size() == 3);
  auto* stick = find(devices, "0781");
  REQUIRE(stick);
  CHECK(stick->kind == "storage");
  CHECK(stick->serial == "4C530001231120115142");
  CHECK(stick->product == "Cruzer Blade");
  CHECK(stick->port == "1-2");
  CHECK(stick->speed == "480");
  CHECK(std::find(stick->block_devices.begin(), stick->block_devices.end(), "/dev/sdb1") !=
        stick->block_devices.end());
  REQUIRE(stick->mount_points.size() == 1);
  CHECK(stick->mount_points[0] == "/media/li/CRUZER");
  CHECK(find(devices, "046d")->kind == "hid");
  CHECK(find(devices, "18d1")->kind == "mtp");

  UsbModule module(ctx, std::make_unique<LinuxUsbProbe>(ctx), nullptr);
  AgentPolicy p;
  auto r = module.run(p);
  CHECK(finding(r.findings, "usb.unregistered_storage").status == Status::fail);
  CHECK(finding(r.findings, "usb.portable_device").status == Status::fail);
  p.usb.allowed_storage.push_back({"0781", "5567", "4C530001231120115142"});
  CHECK(finding(module.run(p).findings, "usb.unregistered_storage").status == Status::pass);
  REQUIRE(r.facts.is_array());
  CHECK(r.facts[0].contains("vendor_id"));
}

TEST_CASE("block mode deauthorizes unregistered storage through sysfs and says so", "[umockdev]") {
  Testbed t;
  t.add("sandisk-cruzer-blade.umockdev");
  t.add("logitech-keyboard.umockdev");
  ProbeContext ctx;
  UsbModule module(ctx, std::make_unique<LinuxUsbProbe>(ctx), nullptr);
  AgentPolicy p;
  p.usb.mode = "block";
  auto r = module.run(p);
  auto f = finding(r.findings, "usb.unregistered_storage");
  CHECK(f.status == Status::fail);
  CHECK(f.evidence["unregistered"][0]["deauthorized"] == true);
  CHECK(f.summary.find("(blocked)") != std::string::npos);
  auto authorized = [&](const std::string& devpath) {
    auto v = files::read_if_exists(t.sys(devpath + "/authorized"), 8).value_or("");
    return v.substr(0, 1);
  };
  CHECK(authorized("/devices/pci0000:00/0000:00:14.0/usb1/1-2") == "0");
  CHECK(authorized("/devices/pci0000:00/0000:00:14.0/usb1/1-3") ==
        "1");  // the keyboard is left alone
}

TEST_CASE(
    "hot-plug: an insertion becomes an event with the device's identity, and history keeps it",
    "[umockdev]") {
  Testbed t;
  t.add("logitech-keyboard.umockdev");
  test::TempDir state;
  ProbeContext ctx;
  ctx.state_dir = state.path();
  auto history = std::make_shared<UsbHistory>(state / "usb-history.jsonl");
  UdevWatcher watcher(std::make_unique<LinuxUsbProbe>(ctx), history);
  AgentPolicy p;
  watcher.set_policy(p);
  boost::asio::io_context io;
  std::vector<AgentEvent> events;
  watcher.start(io, [&](AgentEvent e) { events.push_back(std::move(e)); });
  history->swap_last_sweep(1);  // a sweep happened before the stick came

  t.add("sandisk-cruzer-blade.umockdev");
  umockdev_testbed_uevent(t.tb, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2", "add");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (events.empty() && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(50));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "usb.attached");
  CHECK(events[0].data["vendor_id"] == "0781");
  CHECK(events[0].data["serial"] == "4C530001231120115142");
  REQUIRE(events[0].findings.size() == 1);
  CHECK(events[0].findings[0].check == "usb.unregistered_storage");

  // Removed before the next sweep: the sweep still reports it, from the history.
  umockdev_testbed_uevent(t.tb, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2", "remove");
  umockdev_testbed_remove_device(t.tb, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2");
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (events.size() < 2 && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(50));
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == "usb.detached");
  CHECK(events[1].data["serial"] == "4C530001231120115142");
  watcher.stop();

  UsbModule module(ctx, std::make_unique<LinuxUsbProbe>(ctx), history);
  auto r = module.run(p);
  bool reported = false;
  for (const auto& d : r.facts)
    reported |= d["serial"] == "4C530001231120115142" && d["present"] == false;
  CHECK(reported);
  CHECK(finding(r.findings, "usb.unregistered_storage").status == Status::fail);
}

TEST_CASE("hot-plug of a device with hostile strings: an event with cleaned strings, and blocked",
          "[umockdev][security]") {
  Testbed t;
  test::TempDir state;
  ProbeContext ctx;
  ctx.state_dir = state.path();
  auto history = std::make_shared<UsbHistory>(state / "usb-history.jsonl");
  UdevWatcher watcher(std::make_unique<LinuxUsbProbe>(ctx), history);
  AgentPolicy p;
  p.usb.mode = "block";
  watcher.set_policy(p);
  boost::asio::io_context io;
  std::vector<AgentEvent> events;
  watcher.start(io, [&](AgentEvent e) { events.push_back(std::move(e)); });

  t.add("hostile-gadget.umockdev");
  const std::string dev = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-7";
  umockdev_testbed_uevent(t.tb, dev.c_str(), "add");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (events.empty() && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(50));
  watcher.stop();
  REQUIRE(events.size() == 1);
  const auto& data = events[0].data;
  CHECK(events[0].kind == "usb.attached");
  CHECK(data["class"] == "storage");
  CHECK(data["deauthorized"] == true);
  auto product = data["product"].get<std::string>();
  CHECK(product.size() == 126);  // 42 whole characters of the 60
  CHECK(data["serial"] == "SERIAL[31m9");
  CHECK(data["interfaces"][0]["name"] == "MassStorage");
  // What the daemon sends: serialisable, and the history line it keeps parses back.
  CHECK_NOTHROW(build_event(events[0]));
  CHECK(history->seen_since(0, {}).size() == 1);
  auto authorized = files::read_if_exists(t.sys(dev.substr(4) + "/authorized"), 8).value_or("");
  CHECK(authorized.substr(0, 1) == "0");
}
