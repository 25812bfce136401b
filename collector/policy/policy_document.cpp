#include "collector/policy/policy_document.hpp"

#include <stdexcept>

#include "collector/schedule/cron_schedule.hpp"

namespace warden::collector {

namespace {

nlohmann::json agent_part(const nlohmann::json& doc) {
  nlohmann::json a = doc;
  a.erase("sweep");
  a.erase("remediation_deadline_days");
  return a;
}

void parse_collector_part(const nlohmann::json& doc, SweepSchedule& sweep, int& deadline) {
  if (doc.contains("sweep")) {
    const auto& s = doc["sweep"];
    if (!s.is_object()) throw std::invalid_argument("sweep must be an object");
    for (auto it = s.begin(); it != s.end(); ++it)
      if (it.key() != "schedule" && it.key() != "spread_seconds")
        throw std::invalid_argument("unknown key 'sweep." + it.key() + "'");
    if (s.contains("schedule")) {
      if (!s["schedule"].is_string())
        throw std::invalid_argument("sweep.schedule must be a string");
      sweep.cron = s["schedule"].get<std::string>();
      if (!sweep.cron.empty()) CronSchedule::parse(sweep.cron);  // throws with the reason
    }
    if (s.contains("spread_seconds")) {
      if (!s["spread_seconds"].is_number_integer() || s["spread_seconds"].get<int64_t>() < 0 ||
          s["spread_seconds"].get<int64_t>() > 86400)
        throw std::invalid_argument("sweep.spread_seconds must be between 0 and 86400");
      sweep.spread_seconds = s["spread_seconds"].get<int>();
    }
  }
  if (doc.contains("remediation_deadline_days")) {
    const auto& d = doc["remediation_deadline_days"];
    if (!d.is_number_integer() || d.get<int64_t>() < 1 || d.get<int64_t>() > 365)
      throw std::invalid_argument("remediation_deadline_days must be between 1 and 365");
    deadline = d.get<int>();
  }
}

}  // namespace

void validate_policy_document(const nlohmann::json& doc) {
  if (!doc.is_object()) throw std::invalid_argument("a policy must be a JSON object");
  if (doc.contains("version"))
    throw std::invalid_argument("'version' is set by the collector, not in documents");
  SweepSchedule s;
  int d = 0;
  parse_collector_part(doc, s, d);
  parse_agent_policy(agent_part(doc), true);
}

std::vector<std::string> department_chain(const std::string& department) {
  std::vector<std::string> out = {""};
  size_t pos = 0;
  while (!department.empty()) {
    pos = department.find('/', pos);
    out.push_back(department.substr(0, pos));
    if (pos == std::string::npos) break;
    ++pos;
  }
  return out;
}

EffectivePolicy effective_policy(const std::vector<nlohmann::json>& documents_root_first) {
  EffectivePolicy e;
  nlohmann::json merged = to_json(AgentPolicy{});
  merged.erase("version");
  merged["sweep"] = {{"schedule", kDefaultSweepSchedule},
                     {"spread_seconds", kDefaultSweepSpreadSeconds}};
  merged["remediation_deadline_days"] = 7;
  for (const auto& d : documents_root_first) merged.merge_patch(d);
  e.document = merged;
  parse_collector_part(merged, e.sweep, e.remediation_deadline_days);
  e.agent = parse_agent_policy(agent_part(merged), true);
  return e;
}

nlohmann::json patch_from_assignment(const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("expected KEY=VALUE, e.g. antivirus.signature_max_age_days=3");
  std::string path = assignment.substr(0, eq), raw = assignment.substr(eq + 1);
  nlohmann::json value = nlohmann::json::parse(raw, nullptr, false);
  if (value.is_discarded()) value = raw;
  nlohmann::json patch = value;
  size_t end = path.size();
  while (true) {
    // A leading '.' left an empty first key (and rfind(., -1) would find that '.' again forever).
    if (end == 0) throw std::invalid_argument("empty key in '" + path + "'");
    size_t dot = path.rfind('.', end - 1);
    std::string key = path.substr(dot == std::string::npos ? 0 : dot + 1,
                                  end - (dot == std::string::npos ? 0 : dot + 1));
    if (key.empty()) throw std::invalid_argument("empty key in '" + path + "'");
    patch = nlohmann::json{{key, patch}};
    if (dot == std::string::npos) break;
    end = dot;
  }
  return patch;
}

}  // namespace warden::collector
