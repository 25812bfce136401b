// Interpreting what Windows says about antivirus products: pure functions, compiled and unit-tested
// on Linux too (tests/unit/windows_av_test.cpp). The Windows probe (windows/antivirus_probe.cpp)
// only gathers the raw values below and hands them here.
//
// Everything here is attacker-influenced: any program can register a product with Security Center
// under any display name, and process names are chosen by whoever starts them. Strings are bounded
// and made printable, lookups are case-insensitive and never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/antivirus/antivirus_probe.hpp"

namespace warden::agent {

inline constexpr size_t kMaxWscNameBytes = 256;
inline constexpr size_t kMaxWscPathBytes = 1024;
inline constexpr size_t kMaxWscProducts = 32;

// Security Center's productState (IWscProduct via the WMI class AntiVirusProduct in
// root\SecurityCenter2): bits 12-15 the product state (0x0 off, 0x1 on, 0x2 snoozed, 0x3 expired),
// bits 8-11 the owner (0x1 Microsoft, 0x0 third party), bits 4-7 the signature status (0x0 up to
// date, 0x1 out of date).
struct WscProductState {
  std::string state;  // on | off | snoozed | expired | unknown
  bool enabled = false;
  bool up_to_date = false;
  bool microsoft = false;
};
WscProductState decode_wsc_product_state(uint32_t product_state);
// IWscProduct's own enums: WSC_SECURITY_PRODUCT_STATE (0 on, 1 off, 2 snoozed, 3 expired) and
// WSC_SECURITY_SIGNATURE_STATUS (0 out of date, 1 up to date).
WscProductState wsc_state_from_enums(int product_state, int signature_status);

// One product as Security Center lists it.
struct WscEntry {
  std::string name;  // display name (raw UTF-8 from UTF-16)
  std::string path;  // remediation path / pathToSignedProductExe
  WscProductState state;
  std::string source;  // "wsc" (IWSCProductList) | "securitycenter2" (WMI)
};

// Defender's own status (WMI root\Microsoft\Windows\Defender MSFT_MpComputerStatus).
struct DefenderStatus {
  std::optional<bool> antivirus_enabled;
  std::optional<bool> real_time_protection;
  std::optional<int64_t> signature_updated;   // AntivirusSignatureLastUpdated, Unix s
  std::optional<int64_t> signature_age_days;  // AntivirusSignatureAge
  std::string signature_version;              // AntivirusSignatureVersion
  std::optional<int64_t> full_scan_end;       // FullScanEndTime, Unix s
};

// A product of the Windows catalogue: how each is recognised (data; footprints from public
// detection lists, confidence in `footprint`).
struct WindowsAvProduct {
  std::string id;
  std::string name;
  std::string footprint;
  std::vector<std::string> wsc_names;   // lowercase substrings of the Security Center display name
  std::vector<std::string> processes;   // lowercase image names (services and tray processes)
  std::vector<std::string> path_parts;  // lowercase substrings of the product's path
};
const std::vector<WindowsAvProduct>& windows_av_catalog();

// The catalogue entry a Security Center entry belongs to (by display name, then path), or null.
const WindowsAvProduct* identify_windows_av(std::string_view display_name, std::string_view path);

// CIM DATETIME ("20231115083012.000000+480": local time and its offset from UTC in minutes) to
// Unix seconds; nullopt for anything malformed (including WMI's all-zero "never").
std::optional<int64_t> parse_cim_datetime(std::string_view s);

// The antivirus facts of a Windows PC: one entry per Security Center product (identified through
// the catalogue when known, otherwise by its own name), Defender's status folded into the Defender
// entry (or a Defender entry of its own when only Defender's WMI answers), and catalogue products
// that are not registered with Security Center but whose processes run. `processes`: image names
// of running processes. `defender_error`: why Defender's status could not be read (kept as a note).
std::vector<AntivirusFacts> windows_antivirus_facts(const std::vector<WscEntry>& wsc,
                                                    const std::optional<DefenderStatus>& defender,
                                                    const std::vector<std::string>& processes,
                                                    const std::string& defender_error = {});

}  // namespace warden::agent
