// An incident: a host's critical check turning to fail (a status_history row), with what the
// agent and the collector know of the host then, and the fields admins fill in for the incident
// report (GB/T 22239 and the rules' incident report: time, place, unit, IP, owner, OS, service,
// impact, cause, handling, reporter, report time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace warden::collector::domain {

struct Incident {
  int64_t id = 0;  // stable: the status_history row of the transition
  int64_t at_ms = 0;
  std::string agent_id;
  std::string hostname;
  std::string ip;
  std::string mac;
  std::string owner;
  std::string department;
  std::string os;
  std::string check;
  std::string summary;
  std::string summary_key;
  std::string evidence_json;
  std::string status;  // the check's current status (fail, or pass once fixed)
  std::string unit;    // at the level above: the unit below it happened in ("" = here)
  // Filled in by admins.
  std::string location;
  std::string service;
  std::string impact;
  std::string cause;
  std::string handling;
  std::string reporter;
  int64_t reported_at_ms = 0;  // 0: not reported yet
  std::string updated_by;      // "" if nobody has filled anything in
  int64_t updated_at_ms = 0;
};

// The fields an admin sets (validated by the admin service); unset fields stay.
struct IncidentUpdate {
  int64_t id = 0;
  std::optional<std::string> location;
  std::optional<std::string> service;
  std::optional<std::string> impact;
  std::optional<std::string> cause;
  std::optional<std::string> handling;
  std::optional<std::string> reporter;
  std::optional<int64_t> reported_at_ms;
};

}  // namespace warden::collector::domain
