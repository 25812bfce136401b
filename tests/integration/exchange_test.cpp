// Offline exchange between isolated networks (docs/exchange.md) with real collectors, real
// wardenctl and bundle files, and real agents: a classified network and a general one carry
// bundles both ways, and a drive registered as classified on one is caught on the other by
// usb.cross_use (the agent sees a umockdev recording of a SanDisk stick); an air-gapped unit files
// its results with the level above by bundle. Tampered, replayed and foreign bundles are refused
// with their exit codes.
#include <umockdev.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

constexpr const char* kSerial = "4C530001231120115142";  // the recorded SanDisk Cruzer Blade

// `a` pins `b` under `name` with `role`, as an admin would with the certificate file carried over
// and the fingerprint read out over the phone.
void pin(const CollectorProcess& a, const CollectorProcess& b, const std::filesystem::path& dir,
         const std::string& name, const std::string& role, const std::string& department = "") {
  auto cert = dir / (name + ".pem");
  auto id = b.ctl_json({"exchange", "identity", "-o", cert.string()});
  std::vector<std::string> args = {
      "exchange",      "peer",        "add",           name,
      "--certificate", cert.string(), "--fingerprint", id["fingerprint"].get<std::string>(),
      "--role",        role};
  if (!department.empty()) args.insert(args.end(), {"--department", department});
  auto r = a.ctl(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

json finding_of(const json& host, const std::string& check) {
  for (const auto& f : host["findings"])
    if (f["check"] == check) return f;
  return json();
}

}  // namespace

TEST_CASE("two isolated networks carry bundles both ways and catch a drive that crossed",
          "[exchange][umockdev]") {
  TempDir dir;
  CollectorProcess secret(dir / "classified"), office(dir / "general");
  pin(secret, office, dir.path(), "办公网", "peer");
  pin(office, secret, dir.path(), "涉密网", "peer");
  REQUIRE(secret
              .ctl({"usb", "register", kSerial, "--vendor-id", "0781", "--product-id", "5567",
                    "--class", "classified", "--owner", "Zhang San"})
              .exit_code == 0);

  // The classified network's bundle goes to the general network on a disc.
  auto to_office = (dir / "to-office-1.bundle").string();
  auto exported = secret.ctl_json({"exchange", "export", "--to", "办公网", "-o", to_office});
  CHECK(exported["seq"] == 1);
  CHECK(exported["usb_devices"] == 1);
  CHECK((files::mode_of(to_office) & 0777) == 0600);
  auto imported = office.ctl_json({"exchange", "import", to_office});
  CHECK(imported["peer"] == "涉密网");
  CHECK(imported["usb_devices"] == 1);
  CHECK(imported["cross_used"].empty());

  // Someone plugs the classified drive into a general PC.
  AgentProcess pc(dir / "pc", office);
  REQUIRE(pc.enroll(office.create_token("Office")).exit_code == 0);
  REQUIRE(office.ctl({"assign", pc.agent_id(), "--classification", "general", "--owner", "Li Si"})
              .exit_code == 0);
  UMockdevTestbed* tb = umockdev_testbed_new();  // UMOCKDEV_DIR for the agent we start
  std::string text = umockdev_records(std::string(USB_FIXTURES) + "/sandisk-cruzer-blade.umockdev");
  GError* err = nullptr;
  REQUIRE(umockdev_testbed_add_from_string(tb, text.c_str(), &err));
  pc.launcher = {"umockdev-wrapper"};
  pc.start();
  INFO(pc.log());
  json verdict;
  REQUIRE(wait_for(
      [&] {
        verdict = finding_of(office.ctl_json({"host", pc.agent_id()}), "usb.cross_use");
        return verdict.is_object();
      },
      std::chrono::seconds(60)));
  CHECK(verdict["status"] == "fail");
  CHECK(verdict["severity"] == "critical");
  auto violation = verdict["evidence"]["violations"][0];
  CHECK(violation["serial"] == kSerial);
  CHECK(violation["reason"].get<std::string>().find("涉密网") != std::string::npos);
  pc.stop();
  g_object_unref(tb);

  // The general network's bundle goes back: the classified side learns where its drive went.
  auto to_secret = (dir / "to-secret-1.bundle").string();
  office.ctl_json({"exchange", "export", "--to", "涉密网", "-o", to_secret});
  auto back = secret.ctl_json({"exchange", "import", to_secret});
  REQUIRE(back["cross_used"].size() == 1);
  CHECK(back["cross_used"][0]["registered_here"] == "classified");
  CHECK(back["cross_used"][0]["classes_there"] == json::array({"general"}));
  auto said = secret.ctl({"exchange", "import", to_secret});
  CHECK(said.exit_code == 0);
  CHECK(said.out.find("nothing changed") != std::string::npos);

  // Tampered: one byte changed on the way.
  auto bytes = files::read(to_secret);
  bytes[bytes.size() - 3] = static_cast<char>(bytes[bytes.size() - 3] ^ 0x40);
  auto tampered = (dir / "tampered.bundle").string();
  files::write_atomic(tampered, bytes, 0600);
  auto refused = secret.ctl({"exchange", "import", tampered});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("altered") != std::string::npos);

  // Replayed: bundle 1 after bundle 2.
  auto to_secret_2 = (dir / "to-secret-2.bundle").string();
  office.ctl_json({"exchange", "export", "--to", "涉密网", "-o", to_secret_2});
  secret.ctl_json({"exchange", "import", to_secret_2});
  auto replay = secret.ctl({"exchange", "import", to_secret});
  CHECK(replay.exit_code == 4);
  CHECK(replay.err.find("replay") != std::string::npos);

  // Foreign: the general network's bundle for the classified one, imported where it was made.
  auto foreign = office.ctl({"exchange", "import", to_secret_2});
  CHECK(foreign.exit_code == 5);
  CHECK(foreign.err.find("not addressed to this collector") != std::string::npos);

  auto peers = secret.ctl_json({"exchange", "peers"});
  REQUIRE(peers.size() == 1);
  CHECK(peers[0]["imported_seq"] == 2);
  CHECK(peers[0]["exported_seq"] == 1);
  // Every import and refusal is in the audit log.
  int imports = 0, refusals = 0;
  for (const auto& a : secret.ctl_json({"audit"})) {
    imports += a["action"] == "exchange.import";
    refusals += a["action"] == "exchange.import_refused";
  }
  CHECK(imports == 3);
  CHECK(refusals == 2);
}

TEST_CASE("an air-gapped unit files its results with the level above by bundle",
          "[exchange][cascade]") {
  TempDir dir;
  CollectorProcess province(dir / "province"), county(dir / "county");
  pin(province, county, dir.path(), "县局", "unit", "Counties");
  pin(county, province, dir.path(), "省厅", "upper");

  AgentProcess pc(dir / "pc", county);
  REQUIRE(pc.enroll(county.create_token("Office")).exit_code == 0);
  pc.start();
  REQUIRE(county.wait_online(1));
  REQUIRE(county.ctl({"sweep", "run", "--wait", "--timeout", "60s"}).exit_code == 0);
  auto own = county.ctl_json({"hosts"});
  REQUIRE(own.size() == 1);

  auto file = (dir / "county-1.bundle").string();
  auto exported = county.ctl_json({"exchange", "export", "--to", "省厅", "-o", file});
  CHECK(exported["hosts"] == 1);
  auto imported = province.ctl_json({"exchange", "import", file});
  CHECK(imported["hosts"] == 1);

  auto units = province.ctl_json({"units"});
  REQUIRE(units.size() == 1);
  CHECK(units[0]["name"] == "县局");
  CHECK(units[0]["department"] == "Counties");
  CHECK(units[0]["hosts"] == 1);
  CHECK(units[0]["reporting"] == 1);
  auto status = province.ctl_json({"status", "--unit", "县局"});
  CHECK(status["hosts"]["total"] == 1);
  auto hosts = province.ctl_json({"hosts", "--unit", "县局"});
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0]["agent_id"] == pc.agent_id());
  CHECK(hosts[0]["failing"] == own[0]["failing"]);  // the same results as at the unit

  // The unit's report at the level above, from what its bundle carried.
  auto report = province.ctl({"report", "--unit", "县局", "--format", "json", "--from",
                              "2000-01-01", "--to", "2100-01-01"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  auto r = json::parse(report.out);
  CHECK(r["forwarded"]["unit"] == "县局");
  CHECK(r["unit"]["name"] == "县局");
  CHECK(r["summary"]["hosts"] == 1);
  CHECK(r["scope"]["reported_hosts"] == 1);
  auto html = province.ctl({"--lang", "zh-CN", "report", "--unit", "县局", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("最近一次上报") != std::string::npos);
  CHECK(province.ctl({"report", "--unit", "没有这个单位"}).exit_code == 3);
  CHECK(province.ctl({"report", "--unit", "县局", "--department", "Office"}).exit_code == 2);
  pc.stop();
}
