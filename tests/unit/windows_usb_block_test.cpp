// USB block mode on Windows (issue 15): when the agent writes Windows' removable-storage deny
// policy, when it removes it again, and what the usb module reports, tested on Linux with a fake
// probe that keeps the registry values in memory like the Windows probe keeps them in HKLM. The
// registry side runs under wine in tests/windows/agent_exe_test.sh (`wine reg query`).
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "agent/usb/removable_storage_policy.hpp"
#include "agent/usb/usb_arrivals.hpp"
#include "agent/usb/usb_device_text.hpp"
#include "agent/usb/usb_module.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

AgentPolicy block_policy(bool with_registered_drive) {
  AgentPolicy p;
  p.version = 7;
  p.usb.mode = "block";
  if (with_registered_drive) p.usb.allowed_storage.push_back({"0951", "1666", "60A44C413A8C"});
  return p;
}

// The registry as the Windows probe sees it, and the same sequence of writes.
class FakeRegistryUsb : public UsbProbe {
 public:
  RemovableStorageState reg;
  std::vector<UsbDevice> present;
  std::vector<std::string> deauthorized;
  std::vector<UsbDevice> collect() override { return present; }
  std::string deauthorize(const UsbDevice& d) override {
    deauthorized.push_back(d.serial);
    return "";
  }
  nlohmann::json apply_storage_policy(const AgentPolicy& policy,
                                      std::vector<std::string>& /*errors*/) override {
    auto plan = plan_removable_storage_policy(policy, reg);
    if (plan.action == RemovableStorageAction::write_deny) {
      reg.written_by_agent = true;
      reg.deny_read = reg.deny_write = 1;
    } else if (plan.action == RemovableStorageAction::remove_deny) {
      reg.deny_read.reset();
      reg.deny_write.reset();
      reg.written_by_agent = false;
    }
    auto j = to_json(reg);
    j["reason"] = plan.reason;
    return j;
  }
};

}  // namespace

TEST_CASE("Removable-storage deny: written in block mode only when no drive is registered",
          "[windows][usb]") {
  RemovableStorageState none;
  auto plan = plan_removable_storage_policy(block_policy(false), none);
  CHECK(plan.action == RemovableStorageAction::write_deny);
  CHECK(plan.reason == "block_without_registered_drives");
  // The deny policy cannot make exceptions: with a registered drive, per-device disabling only.
  CHECK(plan_removable_storage_policy(block_policy(true), none).action ==
        RemovableStorageAction::none);
  // Audit mode writes nothing.
  AgentPolicy audit;
  audit.version = 7;
  CHECK(plan_removable_storage_policy(audit, none).action == RemovableStorageAction::none);
  // Already denied (by the agent, or by an administrator's own policy: Deny_All counts): nothing.
  RemovableStorageState ours{std::nullopt, 1, 1, true};
  plan = plan_removable_storage_policy(block_policy(false), ours);
  CHECK(plan.action == RemovableStorageAction::none);
  CHECK(plan.reason == "denied_by_agent");
  RemovableStorageState admin_all{1, std::nullopt, std::nullopt, false};
  plan = plan_removable_storage_policy(block_policy(false), admin_all);
  CHECK(plan.action == RemovableStorageAction::none);
  CHECK(plan.reason == "denied_by_administrator");
  // Read denied but write allowed is not denied: the agent completes it.
  RemovableStorageState half{std::nullopt, 1, 0, false};
  CHECK_FALSE(removable_storage_denied(half));
  CHECK(plan_removable_storage_policy(block_policy(false), half).action ==
        RemovableStorageAction::write_deny);
}

TEST_CASE("Removable-storage deny: only what the agent wrote is removed, and never on the default",
          "[windows][usb]") {
  AgentPolicy audit;
  audit.version = 8;
  RemovableStorageState ours{std::nullopt, 1, 1, true};
  auto plan = plan_removable_storage_policy(audit, ours);
  CHECK(plan.action == RemovableStorageAction::remove_deny);
  CHECK(plan.reason == "audit_mode");
  // Block mode with a drive registered since: per-device blocking replaces the class-wide deny.
  plan = plan_removable_storage_policy(block_policy(true), ours);
  CHECK(plan.action == RemovableStorageAction::remove_deny);
  CHECK(plan.reason == "registered_drives_per_device_block");
  // An administrator's own deny stays, whatever the agent's policy.
  RemovableStorageState admin{std::nullopt, 1, 1, false};
  plan = plan_removable_storage_policy(audit, admin);
  CHECK(plan.action == RemovableStorageAction::none);
  CHECK(plan.reason == "denied_by_administrator");
  // The built-in default (version 0: `check` without the collector's policy) keeps the agent's.
  plan = plan_removable_storage_policy(AgentPolicy{}, ours);
  CHECK(plan.action == RemovableStorageAction::none);
  CHECK(plan.reason == "kept_default_policy");
  auto j = to_json(RemovableStorageState{std::nullopt, 1, std::nullopt, false});
  CHECK(j["deny_all"].is_null());
  CHECK(j["deny_read"] == 1);
  CHECK(j["deny_write"].is_null());
  CHECK(j["denied"] == false);
}

TEST_CASE("The usb module applies the deny policy and reports it with the block results",
          "[windows][usb]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("warden-win-usb-block-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ProbeContext ctx;
  ctx.state_dir = dir;
  auto owned = std::make_unique<FakeRegistryUsb>();
  FakeRegistryUsb* probe = owned.get();
  UsbDevice drive;
  drive.vendor_id = "0781";
  drive.product_id = "5567";
  drive.serial = "4C530001230516116523";
  drive.interfaces.push_back({"08", "06", "50", "", "USBSTOR"});
  drive.syspath = "USB\\VID_0781&PID_5567\\4C530001230516116523";
  drive.authorized = true;
  probe->present = {clean_usb_device(drive)};
  UsbModule m(ctx, std::move(owned), std::make_shared<UsbHistory>(dir / "usb-history.jsonl"));

  auto r = m.run(block_policy(false));
  CHECK(probe->reg.deny_read == 1u);
  CHECK(probe->reg.deny_write == 1u);
  CHECK(probe->deauthorized == std::vector<std::string>{"4C530001230516116523"});
  auto f = r.findings.at(0);
  REQUIRE(f.check == "usb.unregistered_storage");
  CHECK(f.evidence["removable_storage_policy"]["denied"] == true);
  CHECK(f.evidence["removable_storage_policy"]["written_by_agent"] == true);
  CHECK(f.evidence["unregistered"][0]["deauthorized"] == true);

  // Back to audit: the agent's deny is removed.
  AgentPolicy audit;
  audit.version = 9;
  r = m.run(audit);
  CHECK_FALSE(probe->reg.deny_read);
  CHECK_FALSE(probe->reg.written_by_agent);
  CHECK(r.findings.at(0).evidence["removable_storage_policy"]["reason"] == "audit_mode");
  std::filesystem::remove_all(dir);
}

namespace {
UsbDevice storage(const std::string& serial, const std::string& instance) {
  UsbDevice d;
  d.vendor_id = "0781";
  d.product_id = "5567";
  d.serial = serial;
  d.interfaces.push_back({"08", "06", "50", "", "USBSTOR"});
  d.syspath = instance;
  return clean_usb_device(d);
}
}  // namespace

TEST_CASE("USB device notifications: collected again, compared, new and gone devices found",
          "[windows][usb]") {
  std::map<std::string, UsbDevice> known;
  auto a = storage("AAA", "USB\\VID_0781&PID_5567\\AAA");
  auto b = storage("BBB", "USB\\VID_0781&PID_5567\\BBB");
  auto c = usb_changes(known, {a});
  REQUIRE(c.attached.size() == 1);
  CHECK(c.attached[0].serial == "AAA");
  CHECK(c.detached.empty());
  // The same list again (a notification for another device class, or a repeated one): nothing.
  c = usb_changes(known, {a});
  CHECK(c.attached.empty());
  CHECK(c.detached.empty());
  // B plugged in, A pulled out, in one burst.
  c = usb_changes(known, {b, b});
  REQUIRE(c.attached.size() == 1);
  CHECK(c.attached[0].serial == "BBB");
  REQUIRE(c.detached.size() == 1);
  CHECK(c.detached[0].serial == "AAA");
  CHECK(known.size() == 1);
  // A device without an instance ID cannot be told apart: skipped, not attached every time.
  auto anonymous = storage("", "");
  c = usb_changes(known, {b, anonymous});
  CHECK(c.attached.empty());
  // Bounded: 5,000 devices in one list are cut to 1,024.
  std::vector<UsbDevice> many;
  for (int i = 0; i < 5000; ++i) many.push_back(storage("S", "USB\\X\\" + std::to_string(i)));
  std::map<std::string, UsbDevice> fresh;
  CHECK(usb_changes(fresh, many).attached.size() == 1024);
}

TEST_CASE("USB device notifications: an arrival is recorded, judged and blocked like on Linux",
          "[windows][usb]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("warden-win-usb-arrival-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  UsbHistory history(dir / "usb-history.jsonl");
  FakeRegistryUsb probe;
  UsbChanges changes;
  changes.attached.push_back(storage("4C530001230516116523", "USB\\VID_0781&PID_5567\\4C53"));
  changes.detached.push_back(storage("OLD", "USB\\VID_0781&PID_5567\\OLD"));
  auto events = usb_change_events(changes, probe, &history, block_policy(false), 1700000000000);
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == "usb.attached");
  CHECK(events[0].at_ms == 1700000000000);
  CHECK(events[0].data["serial"] == "4C530001230516116523");
  CHECK(events[0].data["deauthorized"] == true);
  CHECK(probe.deauthorized == std::vector<std::string>{"4C530001230516116523"});
  REQUIRE(events[0].findings.size() == 1);
  CHECK(events[0].findings[0].check == "usb.unregistered_storage");
  CHECK(events[1].kind == "usb.detached");
  CHECK(events[1].data["serial"] == "OLD");
  // Recorded: the next sweep sees it as arrived since the last one.
  REQUIRE(history.seen_since(0, {}).size() == 1);
  CHECK(history.seen_since(0, {})[0].seen_at == 1700000000);
  // Audit mode: judged, not blocked.
  FakeRegistryUsb audit_probe;
  AgentPolicy audit;
  events = usb_change_events({{storage("X", "USB\\V\\X")}, {}}, audit_probe, nullptr, audit, 1);
  CHECK(events[0].data["deauthorized"] == false);
  CHECK(audit_probe.deauthorized.empty());
  CHECK(events[0].findings.size() == 1);
  std::filesystem::remove_all(dir);
}
