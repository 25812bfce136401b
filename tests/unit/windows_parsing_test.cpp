// The platform-free interpretation of Windows data (issue 15), tested on Linux with fixtures:
// Security Center productState bitfields and the product catalogue, CIM datetimes, Windows Update
// rows, USBSTOR/USB registry key names and FILETIMEs, and the modules fed with such facts.
// Every input here is something a program or a USB gadget can choose: the parsers must be total.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <limits>
#include <string>

#include "agent/antivirus/antivirus_checks.hpp"
#include "agent/antivirus/windows_av.hpp"
#include "agent/patches/patch_checks.hpp"
#include "agent/patches/wua_updates.hpp"
#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_device_text.hpp"
#include "agent/usb/usb_module.hpp"
#include "agent/usb/usbstor.hpp"
#include "agent/windows_time.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/text.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

Finding find(const std::vector<Finding>& fs, const std::string& id) {
  for (const auto& f : fs)
    if (f.check == id) return f;
  FAIL("no finding " << id);
  return fs.front();
}

}  // namespace

// ---- antivirus ----

TEST_CASE("WSC productState: product state, owner and signature bits") {
  // Values seen in the field (SecurityCenter2 AntiVirusProduct.productState).
  auto defender_on = decode_wsc_product_state(397568);  // 0x061100
  CHECK(defender_on.state == "on");
  CHECK(defender_on.enabled);
  CHECK(defender_on.up_to_date);
  CHECK(defender_on.microsoft);
  auto defender_off = decode_wsc_product_state(393472);  // 0x060100
  CHECK(defender_off.state == "off");
  CHECK_FALSE(defender_off.enabled);
  auto third_party_stale = decode_wsc_product_state(266256);  // 0x041010
  CHECK(third_party_stale.state == "on");
  CHECK_FALSE(third_party_stale.up_to_date);
  CHECK_FALSE(third_party_stale.microsoft);
  CHECK(decode_wsc_product_state(0x2000).state == "snoozed");
  CHECK(decode_wsc_product_state(0x3000).state == "expired");
  CHECK(decode_wsc_product_state(0xF000).state == "unknown");
  CHECK_FALSE(decode_wsc_product_state(0xFFFFFFFF).enabled);
  // IWscProduct's enums.
  CHECK(wsc_state_from_enums(0, 1).enabled);
  CHECK(wsc_state_from_enums(0, 1).up_to_date);
  CHECK_FALSE(wsc_state_from_enums(0, 0).up_to_date);
  CHECK(wsc_state_from_enums(1, 1).state == "off");
  CHECK(wsc_state_from_enums(3, 1).state == "expired");
  CHECK(wsc_state_from_enums(-7, 9).state == "unknown");
}

TEST_CASE("the Windows catalogue recognises the offices' products by WSC name, then path") {
  auto id = [](std::string_view name, std::string_view path = {}) {
    auto* p = identify_windows_av(name, path);
    return p ? p->id : std::string("-");
  };
  CHECK(id("Windows Defender") == "windows-defender");
  CHECK(id("Microsoft Defender Antivirus") == "windows-defender");
  CHECK(id("360杀毒") == "360sd");
  CHECK(id("360安全卫士") == "360safe");
  CHECK(id("火绒安全软件") == "huorong");
  CHECK(id("奇安信天擎") == "qianxin-tianqing");
  CHECK(id("瑞星杀毒软件") == "rising");
  CHECK(id("金山毒霸") == "kingsoft");
  CHECK(id("江民杀毒软件KV2023") == "jiangmin");
  CHECK(id("HUORONG Internet Security") == "huorong");
  // Unknown name, known path.
  CHECK(id("Security Suite", "C:\\Program Files (x86)\\Huorong\\Sysdiag\\bin\\HipsMain.exe") ==
        "huorong");
  CHECK(id("Norton Security", "C:\\Program Files\\Norton\\x.exe") == "-");
  CHECK(id("") == "-");
  // Invalid UTF-8 and an oversized name do not throw.
  CHECK(id(std::string("\xFF\xFE\x00", 3)) == "-");
  CHECK(id(std::string(100000, 'A') + "火绒") == "-");  // beyond the bound: not looked at
  for (const auto& p : windows_av_catalog()) {
    INFO(p.id);
    CHECK(!p.footprint.empty());
    CHECK(!p.wsc_names.empty());
    CHECK(text::is_valid_utf8(p.name));
  }
}

TEST_CASE("CIM datetimes become Unix seconds with their UTC offset, junk becomes nothing") {
  CHECK(parse_cim_datetime("20231115083012.000000+000") == 1700037012);
  CHECK(parse_cim_datetime("20231115163012.000000+480") == 1700037012);  // Beijing time
  CHECK(parse_cim_datetime("20231115033012.000000-300") == 1700037012);
  CHECK(parse_cim_datetime("19700101000000.000000+000") == 0);
  CHECK(!parse_cim_datetime("00000000000000.000000+000"));  // WMI's "never"
  CHECK(!parse_cim_datetime("2023111508301Z.000000+000"));
  CHECK(!parse_cim_datetime("20231315083012.000000+000"));  // month 13
  CHECK(!parse_cim_datetime("20231115083012.000000*000"));
  CHECK(!parse_cim_datetime("20231115083012.000000+999"));
  CHECK(!parse_cim_datetime(""));
  CHECK(!parse_cim_datetime(std::string(25, '\0')));
}

TEST_CASE("FILETIME to Unix milliseconds") {
  CHECK(filetime_to_unix_ms(116444736000000000ULL + 10000) == 1);
  CHECK(filetime_to_unix_ms(133444356120000000ULL) == 1699962012000);  // 2023-11-14 11:40:12 UTC
  CHECK(!filetime_to_unix_ms(0));
  CHECK(!filetime_to_unix_ms(116444736000000000ULL));  // 1970-01-01 exactly: not a real install
  CHECK(!filetime_to_unix_ms(~0ULL));
}

TEST_CASE("Windows antivirus facts: Security Center entries, Defender's status, processes") {
  DefenderStatus def;
  def.antivirus_enabled = true;
  def.real_time_protection = true;
  def.signature_updated = 1700000000;
  def.signature_age_days = 1;
  def.signature_version = "1.401.1166.0";
  def.full_scan_end = 1699000000;
  std::vector<WscEntry> wsc = {
      {"Windows Defender", "windowsdefender://", decode_wsc_product_state(393472),
       "securitycenter2"},
      {"火绒安全软件", "C:\\Program Files\\Huorong\\Sysdiag\\bin\\HipsMain.exe",
       decode_wsc_product_state(266240), "wsc"},
      {"Windows Defender", "", decode_wsc_product_state(397568), "wsc"},  // listed twice
      {"Acme AV\x1b[31m", "", decode_wsc_product_state(266256), "wsc"},
  };
  auto facts = windows_antivirus_facts(wsc, def, {"HipsDaemon.exe", "explorer.exe", "360tray.exe"});
  REQUIRE(facts.size() == 4);
  CHECK(facts[0].product == "windows-defender");
  CHECK(facts[0].state == "off");
  CHECK_FALSE(facts[0].running);
  CHECK(facts[0].signature_format == "defender");
  CHECK(facts[0].signature_time == 1700000000);
  CHECK(facts[0].last_full_scan == 1699000000);
  CHECK(facts[1].product == "huorong");
  CHECK(facts[1].running);
  CHECK(facts[1].running_processes == std::vector<std::string>{"hipsdaemon.exe"});
  CHECK(facts[1].signatures_up_to_date == true);
  CHECK(facts[2].product == "wsc:Acme AV[31m");  // the escape character dropped
  CHECK(facts[2].signatures_up_to_date == false);
  CHECK(facts[3].product == "360safe");  // running, not registered with Security Center
  CHECK(facts[3].source == "process");
  CHECK(facts[3].signature_format == "none");
  auto j = to_json(facts);
  CHECK(j[0]["source"] == "securitycenter2");
  CHECK(j[0]["last_full_scan"] == "2023-11-03T08:26:40Z");
  CHECK(j[1]["signatures_up_to_date"] == true);

  AntivirusPolicy policy;
  policy.required = true;
  policy.signature_max_age_days = 7;
  const int64_t now = 1700000000 + 3 * 86400;
  // The first installed product is reported; the running one is judged.
  auto fs = evaluate_antivirus(facts, policy, now);
  CHECK(find(fs, "av.installed").status == Status::pass);
  CHECK(find(fs, "av.running").status == Status::pass);
  CHECK(find(fs, "av.running").evidence["product"] == "huorong");
  // Huorong: Security Center vouches for its signatures, their age is not exposed.
  CHECK(find(fs, "av.signatures_fresh").status == Status::not_applicable);
  CHECK(find(fs, "av.signatures_fresh").summary_key == "unreadable");

  // Only the third-party product with stale signatures: Security Center's verdict fails it.
  auto stale = windows_antivirus_facts({wsc[3]}, std::nullopt, {});
  fs = evaluate_antivirus(stale, policy, now);
  CHECK(find(fs, "av.signatures_fresh").status == Status::fail);
  CHECK(find(fs, "av.signatures_fresh").summary_key == "stale");
  CHECK(find(fs, "av.signatures_fresh").evidence["wsc_signatures"] == "out_of_date");

  // Defender alone (a server without Security Center): its own signature age is judged.
  auto only_def = windows_antivirus_facts({}, def, {"MsMpEng.exe"}, "");
  REQUIRE(only_def.size() == 1);
  CHECK(only_def[0].source == "defender");
  CHECK(only_def[0].running);
  CHECK(only_def[0].running_processes == std::vector<std::string>{"msmpeng.exe"});
  fs = evaluate_antivirus(only_def, policy, now);
  CHECK(find(fs, "av.signatures_fresh").status == Status::pass);
  CHECK(find(fs, "av.signatures_fresh").evidence["age_days"] == 3);
  fs = evaluate_antivirus(only_def, policy, now + 10 * 86400);
  CHECK(find(fs, "av.signatures_fresh").summary_key == "stale");

  // Defender with real-time protection off is not running.
  def.real_time_protection = false;
  auto rtp_off = windows_antivirus_facts({}, def, {}, "");
  CHECK_FALSE(rtp_off[0].running);
  CHECK(find(evaluate_antivirus(rtp_off, policy, now), "av.running").status == Status::fail);

  // Nothing at all: no product, the policy's verdict.
  auto none = windows_antivirus_facts({}, std::nullopt, {"explorer.exe"},
                                      "WMI ...: WBEM_E_INVALID_NAMESPACE");
  CHECK(none.empty());
  CHECK(find(evaluate_antivirus(none, policy, now), "av.installed").status == Status::fail);
}

TEST_CASE("Windows antivirus facts are bounded and survive hostile names") {
  std::vector<WscEntry> many;
  for (int i = 0; i < 100; ++i)
    many.push_back({"AV " + std::to_string(i) + std::string(1000, 'x') + "\xFF",
                    std::string(5000, 'p'), decode_wsc_product_state(0x1000), "wsc"});
  auto facts = windows_antivirus_facts(many, std::nullopt, {});
  CHECK(facts.size() == kMaxWscProducts);
  for (const auto& f : facts) {
    CHECK(f.name.size() <= kMaxWscNameBytes);
    CHECK(text::is_valid_utf8(f.product));
    for (const auto& e : f.installed_evidence) CHECK(text::is_valid_utf8(e));
  }
  // An empty display name still gets a name.
  auto unnamed = windows_antivirus_facts({{"", "", decode_wsc_product_state(0x1000), "wsc"}},
                                         std::nullopt, {});
  REQUIRE(unnamed.size() == 1);
  CHECK(!unnamed[0].name.empty());
}

TEST_CASE("findings from Windows antivirus facts render from the catalogue in both languages") {
  AntivirusPolicy policy;
  policy.required = true;
  DefenderStatus def;
  def.antivirus_enabled = true;
  def.signature_updated = 1700000000;
  std::vector<std::vector<AntivirusFacts>> cases = {
      windows_antivirus_facts({{"Acme", "", decode_wsc_product_state(0x1010), "wsc"}}, {}, {}),
      windows_antivirus_facts({{"Acme", "", decode_wsc_product_state(0x1000), "wsc"}}, {}, {}),
      windows_antivirus_facts({{"Acme", "", decode_wsc_product_state(0x0000), "wsc"}}, {}, {}),
      windows_antivirus_facts({}, def, {}),
      windows_antivirus_facts({}, {}, {"HipsDaemon.exe"}),
      windows_antivirus_facts({}, {}, {})};
  for (const auto& facts : cases)
    for (const auto& f : evaluate_antivirus(facts, policy, 1700000000 + 30 * 86400)) {
      INFO(f.check << "/" << f.summary_key << ": " << f.summary);
      const auto* t = catalog::find_summary(f.check, f.summary_key);
      REQUIRE(t != nullptr);
      auto en = catalog::render_template(t->en, f.evidence);
      auto zh = catalog::render_template(t->zh_CN, f.evidence);
      CHECK(en.ok());
      CHECK(zh.ok());
      CHECK(f.summary.find('{') == std::string::npos);
    }
}

// ---- patches ----

TEST_CASE("WUA rows: security classification, KB names, dates, hotfixes, reboot") {
  WuaUpdate cu{
      "2024-01 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems "
      "(KB5034122)",
      {"5034122"},
      {"Security Updates"},
      {"0FA1201D-4330-4FA8-8AE9-B877473B6441"},
      "Important",
      1704844800};
  WuaUpdate defs{"Security Intelligence Update for Microsoft Defender Antivirus - KB2267602",
                 {"2267602"},
                 {"Definition Updates"},
                 {"e0789628-ce08-4437-be74-2495b842f43b"},
                 "",
                 std::nullopt};
  WuaUpdate by_severity{"Some fix", {"KB123"}, {"Updates"}, {}, "Critical", std::nullopt};
  WuaUpdate hostile{std::string(2000, 'T') + "\x07",
                    {"12ab", "KB" + std::string(40, '9')},
                    {},
                    {},
                    "\x01",
                    std::nullopt};
  CHECK(wua_is_security(cu));
  CHECK_FALSE(wua_is_security(defs));
  CHECK(wua_is_security(by_severity));
  CHECK_FALSE(wua_is_security(hostile));  // a control character is no severity
  WuaUpdate by_id = defs;
  by_id.categories = {"安全更新"};  // a localised name: the ID decides
  by_id.category_ids = {"0fa1201d-4330-4fa8-8ae9-b877473b6441"};
  CHECK(wua_is_security(by_id));

  CHECK(ole_date_to_unix(25569.0) == 0);
  CHECK(ole_date_to_unix(45300.5) == 1704801600);  // 2024-01-09 12:00 UTC
  CHECK(!ole_date_to_unix(0.0));
  CHECK(!ole_date_to_unix(1e300));
  CHECK(!ole_date_to_unix(std::numeric_limits<double>::quiet_NaN()));

  WuaState st;
  st.pending = {cu, defs, by_severity, hostile};
  st.hotfixes = {"KB5031356", "kb5030841", "File 1", std::string("\xFF", 1)};
  st.searched = 1705000000;
  st.last_install = 1704000000;
  st.reboot_reasons = {"WindowsUpdate\\Auto Update\\RebootRequired"};
  st.server = "http://wsus.example.gov.cn:8530";
  auto f = windows_patch_facts(st);
  CHECK(f.source == "WSUS http://wsus.example.gov.cn:8530");
  CHECK(f.installed == 4);
  CHECK(f.installed_updates[0] == "KB5031356");
  CHECK(f.installed_updates[1] == "KB5030841");
  CHECK(f.installed_updates[2] == "File 1");
  CHECK(f.installed_updates[3] == kFffd);
  CHECK(f.pending == 4);
  CHECK(f.pending_security == 2);
  REQUIRE(f.upgrades.size() == 4);
  CHECK(f.upgrades[0].name == "KB5034122");
  CHECK(f.upgrades[0].label == "Important");
  CHECK(f.upgrades[0].archive == "Security Updates");
  CHECK(f.upgrades[0].security);
  CHECK(f.upgrades[2].name == "KB123");
  CHECK(f.upgrades[3].name.size() == kMaxWuaTitleBytes);  // no valid KB: the bounded title
  CHECK(f.upgrades[3].candidate.find('\x07') == std::string::npos);
  CHECK(f.lists_time == 1705000000);
  CHECK(f.last_install_time == 1704000000);
  CHECK(f.reboot_required);
  auto j = to_json(f);
  CHECK(j["installed_updates"].size() == 4);
  CHECK(j["source"] == "WSUS http://wsus.example.gov.cn:8530");

  // The same evaluator as on Linux: two security updates, one pending past the grace period.
  PatchPolicy policy;
  policy.security_grace_days = 7;
  policy.updates_recent_days = 7;
  f.upgrades[0].first_seen = 1705000000 - 10 * 86400;
  f.upgrades[2].first_seen = 1705000000;
  auto fs = evaluate_patches(f, policy, 1705000000);
  CHECK(find(fs, "patch.security_updates").status == Status::fail);
  CHECK(find(fs, "patch.security_updates").evidence["overdue"][0]["name"] == "KB5034122");
  CHECK(find(fs, "patch.updates_recent").status == Status::pass);
  CHECK(find(fs, "patch.reboot_pending").summary_key == "updates");

  // Nothing pending, Windows Update, no reboot marker.
  auto clean = windows_patch_facts(WuaState{{}, {}, 1705000000, std::nullopt, {}, ""});
  CHECK(clean.source == "Windows Update");
  CHECK_FALSE(clean.reboot_required);
  fs = evaluate_patches(clean, policy, 1705000000);
  CHECK(find(fs, "patch.security_updates").summary_key == "none");
}

TEST_CASE("WUA rows are bounded") {
  WuaState st;
  for (size_t i = 0; i < kMaxWuaUpdates + 50; ++i)
    st.pending.push_back({"u", {std::to_string(i)}, {}, {}, "", std::nullopt});
  for (size_t i = 0; i < kMaxHotfixes + 50; ++i) st.hotfixes.push_back("KB1");
  auto f = windows_patch_facts(st);
  CHECK(f.upgrades.size() == kMaxWuaUpdates);
  CHECK(f.installed_updates.size() == kMaxHotfixes);
}

// ---- usb ----

TEST_CASE("USBSTOR device keys: type, vendor, product, revision") {
  auto k = parse_usbstor_device_key("Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP");
  REQUIRE(k);
  CHECK(k->type == "Disk");
  CHECK(k->vendor == "Kingston");
  CHECK(k->product == "DataTraveler 3.0");
  CHECK(k->revision == "PMAP");
  auto s = parse_usbstor_device_key("Disk&Ven_SanDisk_&Prod_Cruzer_Blade___&Rev_1.00");
  REQUIRE(s);
  CHECK(s->vendor == "SanDisk");
  CHECK(s->product == "Cruzer Blade");
  auto cd = parse_usbstor_device_key("CdRom&Ven_HUAWEI&Prod_Mass_Storage&Rev_2.31");
  REQUIRE(cd);
  CHECK(cd->type == "CdRom");
  auto empty_ven = parse_usbstor_device_key("Disk&Ven_&Prod_USB_DISK_2.0&Rev_PMAP");
  REQUIRE(empty_ven);
  CHECK(empty_ven->vendor.empty());
  CHECK(empty_ven->product == "USB DISK 2.0");
  CHECK(!parse_usbstor_device_key(""));
  CHECK(!parse_usbstor_device_key("Disk"));
  CHECK(!parse_usbstor_device_key("Other&Foo_1"));
  CHECK(!parse_usbstor_device_key(std::string(100000, '&')));
  auto hostile = parse_usbstor_device_key("Disk&Ven_\x1b]0;pwned\x07&Prod_\xFF\xFE&Rev_" +
                                          std::string(300, 'r'));
  REQUIRE(hostile);
  CHECK(hostile->vendor.find('\x1b') == std::string::npos);
  CHECK(text::is_valid_utf8(hostile->product));
  CHECK(hostile->revision.size() <= kMaxUsbNameBytes);
}

TEST_CASE("USBSTOR instances: serial, LUN suffix, Windows-made IDs") {
  CHECK(parse_usbstor_instance("60A44C413A8CF1A0B9470040&0").serial == "60A44C413A8CF1A0B9470040");
  CHECK(parse_usbstor_instance("4C530001230516116523&1").serial == "4C530001230516116523");
  CHECK(parse_usbstor_instance("AA00000000000489").serial == "AA00000000000489");
  auto made_up = parse_usbstor_instance("7&2a1b3c4d&0");
  CHECK(made_up.generated);
  CHECK(made_up.serial.empty());
  // A serial with '&' of its own keeps it; only a numeric LUN suffix goes.
  CHECK(parse_usbstor_instance("AB&CD&0").serial == "AB&CD");
  CHECK(parse_usbstor_instance("SERIAL&X").serial == "SERIAL&X");
  CHECK(parse_usbstor_instance("").serial.empty());
  CHECK(parse_usbstor_instance(std::string(100000, 'S')).serial.empty());
}

TEST_CASE("USB instance IDs: VID/PID, serial, composite interfaces") {
  auto id = parse_usb_instance_id("USB\\VID_0951&PID_1666\\60A44C413A8CF1A0B9470040");
  REQUIRE(id);
  CHECK(id->vendor_id == "0951");
  CHECK(id->product_id == "1666");
  CHECK(id->serial.serial == "60A44C413A8CF1A0B9470040");
  CHECK(id->interface_number == -1);
  auto key_form = parse_usb_instance_id("VID_0781&PID_5567\\4C530001230516116523");
  REQUIRE(key_form);
  CHECK(key_form->vendor_id == "0781");
  auto made_up = parse_usb_instance_id("USB\\VID_046D&PID_C52B\\5&1A2B3C4D&0&2");
  REQUIRE(made_up);
  CHECK(made_up->vendor_id == "046d");
  CHECK(made_up->serial.generated);
  CHECK(made_up->serial.serial.empty());
  auto mi = parse_usb_instance_id("USB\\VID_2717&PID_FF48&MI_00\\6&3a0b2c1&0&0000");
  REQUIRE(mi);
  CHECK(mi->interface_number == 0);
  CHECK(!parse_usb_instance_id("USB\\ROOT_HUB30\\4&2c3e1d0&0&0"));
  CHECK(!parse_usb_instance_id("USB\\VID_XYZ1&PID_1666\\1"));
  CHECK(!parse_usb_instance_id(""));

  bool mtp = false;
  auto storage = usb_interface_from_compatible_ids(
      {"USB\\Class_08&SubClass_06&Prot_50", "USB\\Class_08&SubClass_06", "USB\\Class_08"}, mtp);
  REQUIRE(storage);
  CHECK(storage->class_code == "08");
  CHECK(storage->subclass == "06");
  CHECK(storage->protocol == "50");
  CHECK_FALSE(mtp);
  auto phone = usb_interface_from_compatible_ids(
      {"USB\\MS_COMP_MTP", "USB\\Class_06&SubClass_01&Prot_01", "USB\\Class_06"}, mtp);
  REQUIRE(phone);
  CHECK(phone->class_code == "06");
  CHECK(mtp);
  mtp = false;
  CHECK(!usb_interface_from_compatible_ids({"USB\\COMPOSITE", "USB\\Class_ZZZ"}, mtp));
  CHECK(!usb_interface_from_compatible_ids({}, mtp));
}

TEST_CASE("a USBSTOR instance becomes a history device with VID/PID and arrival times") {
  UsbSerialLinks links;
  add_usb_link(links, "VID_0951&PID_1666", "60A44C413A8CF1A0B9470040");
  add_usb_link(links, "VID_046D&PID_C52B", "5&1a2b3c4d&0&2");  // made up: no link
  add_usb_link(links, "VID_2717&PID_FF48&MI_00", "ABC");       // an interface: no link
  CHECK(links.size() == 1);

  UsbstorRaw raw;
  raw.device_key = "Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP";
  raw.instance = "60A44C413A8CF1A0B9470040&0";
  raw.friendly_name = "Kingston DataTraveler 3.0 USB Device";
  raw.first_install = 133444356120000000ULL;  // 2023-11-14 11:40:12 UTC
  raw.last_arrival = 133445220120000000ULL;   // a day later
  raw.key_written = 133500000000000000ULL;
  auto d = usbstor_history_device(raw, links);
  REQUIRE(d);
  CHECK(d->vendor_id == "0951");
  CHECK(d->product_id == "1666");
  CHECK(d->serial == "60A44C413A8CF1A0B9470040");
  CHECK(d->manufacturer == "Kingston");
  CHECK(d->product == "DataTraveler 3.0");
  CHECK(d->kind == "storage");
  CHECK(d->source == "usbstor");
  CHECK(d->first_seen == 1699962012);
  CHECK(d->last_seen == 1699962012 + 86400);
  CHECK(d->seen_at == d->last_seen);
  CHECK(d->syspath ==
        "USBSTOR\\Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP\\60A44C413A8CF1A0B9470040&0");
  auto j = to_json(*d);
  CHECK(j["storage"] == true);
  CHECK(j["class"] == "storage");
  CHECK(j["first_seen"] == "2023-11-14T11:40:12Z");
  CHECK(j["source"] == "usbstor");

  // No properties: the key's last write time stands in for the last arrival.
  raw.first_install.reset();
  raw.last_arrival.reset();
  d = usbstor_history_device(raw, links);
  REQUIRE(d);
  CHECK(d->first_seen == 0);
  CHECK(d->last_seen == *filetime_to_unix_ms(133500000000000000ULL) / 1000);
  CHECK(to_json(*d).count("first_seen") == 0);

  // No link (the USB key is gone, or the serials differ): no VID/PID, still history.
  d = usbstor_history_device(raw, {});
  REQUIRE(d);
  CHECK(d->vendor_id.empty());
  // A made-up instance: no serial, so it can never be registered.
  raw.instance = "7&2a1b3c4d&0";
  d = usbstor_history_device(raw, links);
  REQUIRE(d);
  CHECK(d->serial.empty());
  CHECK_FALSE(usb_storage_allowed(*d, UsbPolicy{}));
  // A key with no Ven/Prod/Rev: nothing.
  raw.device_key = "Disk";
  CHECK(!usbstor_history_device(raw, links));
}

namespace {

class FakeWindowsUsb : public UsbProbe {
 public:
  std::vector<UsbDevice> present, past;
  std::vector<UsbDevice> collect() override { return present; }
  std::string deauthorize(const UsbDevice&) override { return "not here"; }
  std::vector<UsbDevice> history() override { return past; }
};

}  // namespace

TEST_CASE("the usb module reports the system's history in its facts, judges only new arrivals") {
  UsbSerialLinks links;
  add_usb_link(links, "VID_0951&PID_1666", "60A44C413A8CF1A0B9470040");
  add_usb_link(links, "VID_0781&PID_5567", "4C530001230516116523");
  UsbstorRaw kingston{"Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP",
                      "60A44C413A8CF1A0B9470040&0",
                      "",
                      133444356120000000ULL,
                      133445220120000000ULL,
                      std::nullopt,
                      std::nullopt};
  UsbstorRaw sandisk{"Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00",
                     "4C530001230516116523&0",
                     "",
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt};
  auto probe = std::make_unique<FakeWindowsUsb>();
  probe->past = {*usbstor_history_device(kingston, links), *usbstor_history_device(sandisk, links)};
  // The SanDisk is plugged in now (SetupAPI sees it): listed once, as present.
  UsbDevice now;
  now.vendor_id = "0781";
  now.product_id = "5567";
  now.serial = "4C530001230516116523";
  now.interfaces.push_back({"08", "06", "50", "", "USBSTOR"});
  now.syspath = "USB\\VID_0781&PID_5567\\4C530001230516116523";
  probe->present = {clean_usb_device(now)};
  auto dir =
      std::filesystem::temp_directory_path() / ("warden-win-usb-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ProbeContext ctx;
  ctx.state_dir = dir;
  auto history = std::make_shared<UsbHistory>(dir / "usb-history.jsonl");
  UsbModule m(ctx, std::move(probe), history);
  AgentPolicy policy;
  auto r = m.run(policy);
  REQUIRE(r.facts.size() == 2);
  CHECK(r.facts[0]["present"] == true);
  CHECK(r.facts[1]["present"] == false);
  CHECK(r.facts[1]["history"] == true);
  CHECK(r.facts[1]["serial"] == "60A44C413A8CF1A0B9470040");
  CHECK(r.facts[1]["vendor_id"] == "0951");
  CHECK(r.facts[1]["last_seen"] == "2023-11-15T11:40:12Z");
  // The present SanDisk is unregistered; the Kingston from 2023 is history, not judged here (the
  // first sweep has no previous one to compare with).
  auto unreg = find(r.findings, "usb.unregistered_storage");
  CHECK(unreg.status == Status::fail);
  CHECK(unreg.evidence["unregistered"].size() == 1);
  CHECK(unreg.evidence["unregistered"][0]["serial"] == "4C530001230516116523");
  std::filesystem::remove_all(dir);
}
