#include "agent/antivirus/windows_av.hpp"

#include <algorithm>
#include <set>

#include "common/text.hpp"

namespace warden::agent {

namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool contains_any(const std::string& haystack, const std::vector<std::string>& needles) {
  for (const auto& n : needles)
    if (!n.empty() && haystack.find(n) != std::string::npos) return true;
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

const std::string kDefenderId = "windows-defender";

}  // namespace

WscProductState decode_wsc_product_state(uint32_t product_state) {
  WscProductState s;
  switch ((product_state >> 12) & 0xF) {
    case 0x0:
      s.state = "off";
      break;
    case 0x1:
      s.state = "on";
      break;
    case 0x2:
      s.state = "snoozed";
      break;
    case 0x3:
      s.state = "expired";
      break;
    default:
      s.state = "unknown";
      break;
  }
  s.enabled = s.state == "on";
  s.up_to_date = ((product_state >> 4) & 0xF) == 0x0;
  s.microsoft = ((product_state >> 8) & 0xF) == 0x1;
  return s;
}

WscProductState wsc_state_from_enums(int product_state, int signature_status) {
  WscProductState s;
  switch (product_state) {
    case 0:
      s.state = "on";
      break;
    case 1:
      s.state = "off";
      break;
    case 2:
      s.state = "snoozed";
      break;
    case 3:
      s.state = "expired";
      break;
    default:
      s.state = "unknown";
      break;
  }
  s.enabled = s.state == "on";
  s.up_to_date = signature_status == 1;
  return s;
}

const std::vector<WindowsAvProduct>& windows_av_catalog() {
  static const std::vector<WindowsAvProduct> catalog = {
      {kDefenderId,
       "Microsoft Defender Antivirus",
       "verified: Security Center names it Windows Defender / Microsoft Defender Antivirus; "
       "MsMpEng.exe is its service",
       {"windows defender", "microsoft defender"},
       {"msmpeng.exe"},
       {"\\windows defender\\"}},
      {"360sd",
       "360杀毒 (360 Antivirus)",
       "public detection lists: processes 360sd, 360rp; confirm on a real install",
       {"360杀毒", "360 antivirus", "360 total security"},
       {"360sd.exe", "360rp.exe"},
       {"\\360sd\\"}},
      {"360safe",
       "360安全卫士 (360 Safeguard)",
       "public detection lists: 360tray, ZhuDongFangYu, 360safe, QHActiveDefense, LiveUpdate360; "
       "confirm on a real install",
       {"360安全卫士", "360 safe", "360 safeguard"},
       {"360tray.exe", "zhudongfangyu.exe", "360safe.exe", "qhactivedefense.exe",
        "liveupdate360.exe"},
       {"\\360safe\\"}},
      {"huorong",
       "火绒安全 (Huorong)",
       "public detection lists: HipsDaemon, HipsTray; confirm on a real install",
       {"火绒", "huorong"},
       {"hipsdaemon.exe", "hipstray.exe"},
       {"\\huorong\\"}},
      {"qianxin-tianqing",
       "奇安信天擎 (Qi'anxin Tianqing)",
       "unverified: Security Center name and install path assumed from the vendor's naming; "
       "process names not public, confirm on a real install",
       {"天擎", "奇安信", "qianxin", "tianqing"},
       {},
       {"\\qianxin\\", "\\tianqing\\"}},
      {"rising",
       "瑞星杀毒 (Rising)",
       "public detection lists: ravmond, rsmain; confirm on a real install",
       {"瑞星", "rising"},
       {"ravmond.exe", "rsmain.exe"},
       {"\\rising\\"}},
      {"kingsoft",
       "金山毒霸 (Kingsoft Antivirus)",
       "public detection lists: kxetray, kxescore; confirm on a real install",
       {"金山毒霸", "kingsoft"},
       {"kxetray.exe", "kxescore.exe"},
       {"\\kingsoft\\"}},
      {"jiangmin",
       "江民杀毒 (Jiangmin KV)",
       "unverified: Security Center name and path assumed from the vendor's naming; confirm on a "
       "real install",
       {"江民", "jiangmin"},
       {},
       {"\\jiangmin\\"}},
  };
  return catalog;
}

const WindowsAvProduct* identify_windows_av(std::string_view display_name, std::string_view path) {
  const std::string name = lower_ascii(text::valid_utf8(display_name, kMaxWscNameBytes));
  const std::string p = lower_ascii(text::valid_utf8(path, kMaxWscPathBytes));
  for (const auto& prod : windows_av_catalog())
    if (contains_any(name, prod.wsc_names)) return &prod;
  for (const auto& prod : windows_av_catalog())
    if (contains_any(p, prod.path_parts)) return &prod;
  return nullptr;
}

std::optional<int64_t> parse_cim_datetime(std::string_view s) {
  // yyyymmddHHMMSS.mmmmmmsUUU
  if (s.size() != 25 || s[14] != '.' || (s[21] != '+' && s[21] != '-')) return std::nullopt;
  auto y = digits(s, 0, 4), mo = digits(s, 4, 2), d = digits(s, 6, 2), h = digits(s, 8, 2),
       mi = digits(s, 10, 2), sec = digits(s, 12, 2), off = digits(s, 22, 3);
  if (!y || !mo || !d || !h || !mi || !sec || !off || !digits(s, 15, 6)) return std::nullopt;
  if (*y < 1970 || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *sec > 60 ||
      *off > 840)
    return std::nullopt;
  int64_t local =
      days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 +
      *h * 3600 + *mi * 60 + *sec;
  int64_t offset = (s[21] == '-' ? -*off : *off) * 60;
  return local - offset;
}

std::vector<AntivirusFacts> windows_antivirus_facts(const std::vector<WscEntry>& wsc,
                                                    const std::optional<DefenderStatus>& defender,
                                                    const std::vector<std::string>& processes,
                                                    const std::string& defender_error) {
  std::set<std::string> running;
  for (const auto& p : processes) running.insert(lower_ascii(text::valid_utf8(p, 260)));
  auto running_of = [&](const WindowsAvProduct* prod) {
    std::vector<std::string> out;
    if (prod != nullptr)
      for (const auto& name : prod->processes)
        if (running.count(name)) out.push_back(name);
    return out;
  };
  auto apply_defender = [&](AntivirusFacts& f) {
    if (!defender_error.empty()) f.notes.push_back("Defender status: " + defender_error);
    if (!defender) return;
    f.signature_format = "defender";
    f.signature_time = defender->signature_updated;
    if (!defender->signature_version.empty())
      f.installed_evidence.push_back("defender signatures " +
                                     text::printable(defender->signature_version, 64));
    if (defender->signature_age_days)
      f.installed_evidence.push_back("defender signature age " +
                                     std::to_string(*defender->signature_age_days) + " days");
    f.last_full_scan = defender->full_scan_end;
    if (defender->antivirus_enabled && !*defender->antivirus_enabled) f.running = false;
    if (defender->real_time_protection && !*defender->real_time_protection) {
      f.running = false;
      f.notes.push_back("Defender real-time protection is off");
    }
  };

  std::vector<AntivirusFacts> out;
  std::set<std::string> ids;
  for (const auto& e : wsc) {
    if (out.size() >= kMaxWscProducts) break;
    AntivirusFacts f;
    f.name = text::printable(e.name, kMaxWscNameBytes);
    const std::string path = text::printable(e.path, kMaxWscPathBytes);
    const WindowsAvProduct* prod = identify_windows_av(f.name, path);
    f.product = prod != nullptr ? prod->id : "wsc:" + f.name;
    if (!ids.insert(f.product).second) continue;  // listed twice (both sources, or a re-register)
    if (f.name.empty()) f.name = prod != nullptr ? prod->name : "(unnamed Security Center product)";
    f.footprint = prod != nullptr ? prod->footprint
                                  : "registered with Windows Security Center; not in the Windows "
                                    "catalogue";
    f.source = text::printable(e.source, 32);
    f.state = e.state.state;
    f.installed = true;
    f.installed_evidence.push_back("security center: " + f.name + " (" + f.state + ")");
    if (!path.empty()) f.installed_evidence.push_back("path " + path);
    f.running_processes = running_of(prod);
    f.running = e.state.enabled;
    f.signature_format = "wsc";
    f.signatures_up_to_date = e.state.up_to_date;
    if (f.product == kDefenderId) apply_defender(f);
    out.push_back(std::move(f));
  }
  const WindowsAvProduct& def = windows_av_catalog().front();
  if (!ids.count(kDefenderId) && defender &&
      (out.empty() || (defender->antivirus_enabled && *defender->antivirus_enabled))) {
    AntivirusFacts f;
    f.product = def.id;
    f.name = def.name;
    f.footprint = def.footprint;
    f.source = "defender";
    f.installed = true;
    f.installed_evidence.push_back("MSFT_MpComputerStatus answers");
    f.running_processes = running_of(&def);
    f.running = defender->antivirus_enabled.value_or(false);
    f.state = f.running ? "on" : "off";
    apply_defender(f);
    ids.insert(def.id);
    out.push_back(std::move(f));
  }
  for (const auto& prod : windows_av_catalog()) {
    if (ids.count(prod.id)) continue;
    auto procs = running_of(&prod);
    if (procs.empty()) continue;
    AntivirusFacts f;
    f.product = prod.id;
    f.name = prod.name;
    f.footprint = prod.footprint;
    f.source = "process";
    f.installed = true;
    for (const auto& p : procs) f.installed_evidence.push_back("process " + p);
    f.running_processes = procs;
    f.running = true;
    f.signature_format = "none";  // not registered with Security Center: no verdict, no age
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace warden::agent
