// The antivirus probe interface and facts. On Linux (linux/antivirus_probe.cpp) it recognises the
// catalog's products on this PC: installed (dpkg, install paths), running (processes; for ClamAV
// also clamd answering VERSION on its socket), updater running, and the signature database's build
// time and version from CVD/CLD headers. On Windows (windows/antivirus_probe.cpp) the products
// Security Center knows, Defender's own status and the Windows catalogue (windows_av.hpp).
#pragma once

#include <optional>
#include <vector>

#include "agent/antivirus/antivirus_catalog.hpp"
#include "agent/check_module.hpp"

namespace warden::agent {

struct AntivirusFacts {
  std::string product;  // id
  std::string name;
  std::string footprint;
  bool installed = false;
  std::vector<std::string>
      installed_evidence;  // "package clamav-daemon 1.4.6", "path /usr/sbin/clamd"
  bool running = false;
  std::vector<std::string> running_processes;
  std::optional<bool> daemon_answering;  // clamd socket VERSION; nullopt = not applicable
  std::string daemon_version;
  std::string socket;
  bool updater_running = false;
  std::string database_dir;
  std::string signature_format;
  std::optional<int64_t> signature_time;  // newest database build time, Unix seconds
  uint64_t signature_version = 0;
  std::vector<std::string> databases;  // files whose headers were read
  std::vector<std::string> refused;    // paths of a policy entry not used, and why
  // Windows: what Security Center says (agent/antivirus/windows_av.hpp). Unset on Linux, and then
  // absent from the JSON.
  std::string source;                         // "wsc" | "securitycenter2" | "defender" | "process"
  std::string state;                          // on | off | snoozed | expired
  std::optional<bool> signatures_up_to_date;  // Security Center's verdict (no age given)
  std::optional<int64_t> last_full_scan;      // Unix seconds, where the product exposes it
  std::vector<std::string> notes;             // partial failures (e.g. Defender's WMI status)
};

nlohmann::json to_json(const std::vector<AntivirusFacts>& facts);

class AntivirusProbe {
 public:
  virtual ~AntivirusProbe() = default;
  virtual std::vector<AntivirusFacts> collect(const std::vector<AntivirusProduct>& catalog) = 0;
};

#ifndef _WIN32
class LinuxAntivirusProbe : public AntivirusProbe {
 public:
  explicit LinuxAntivirusProbe(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  std::vector<AntivirusFacts> collect(const std::vector<AntivirusProduct>& catalog) override;

 private:
  ProbeContext ctx_;
};

// Names (comm) of running processes under proc_dir.
std::vector<std::string> running_process_names(const std::filesystem::path& proc_dir);
#endif

}  // namespace warden::agent
