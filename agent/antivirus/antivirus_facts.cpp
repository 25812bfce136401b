// The antivirus facts as JSON (the same shape from every platform's probe).
#include "agent/antivirus/antivirus_probe.hpp"
#include "common/duration.hpp"

namespace warden::agent {

nlohmann::json to_json(const std::vector<AntivirusFacts>& facts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : facts) {
    nlohmann::json j = {
        {"product", f.product},
        {"name", f.name},
        {"footprint", f.footprint},
        {"installed", f.installed},
        {"installed_evidence", f.installed_evidence},
        {"running", f.running},
        {"running_processes", f.running_processes},
        {"updater_running", f.updater_running},
        {"database_dir", f.database_dir},
        {"signature_format", f.signature_format},
        {"signature_time", f.signature_time
                               ? nlohmann::json(format_time_utc(*f.signature_time * 1000))
                               : nlohmann::json()},
        {"signature_version", f.signature_version},
        {"databases", f.databases}};
    if (!f.refused.empty()) j["refused"] = f.refused;
    if (!f.source.empty()) j["source"] = f.source;
    if (!f.state.empty()) j["state"] = f.state;
    if (f.signatures_up_to_date) j["signatures_up_to_date"] = *f.signatures_up_to_date;
    if (f.last_full_scan) j["last_full_scan"] = format_time_utc(*f.last_full_scan * 1000);
    if (!f.notes.empty()) j["notes"] = f.notes;
    if (f.daemon_answering) {
      j["daemon_answering"] = *f.daemon_answering;
      j["daemon_version"] = f.daemon_version;
      j["socket"] = f.socket;
    }
    out.push_back(j);
  }
  return out;
}

}  // namespace warden::agent
