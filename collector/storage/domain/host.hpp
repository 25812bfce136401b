// A host as the repositories know it: what its agent says it is, how the fleet lists show it, the
// detail of one host and its status changes, and what admins change about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/storage/domain/stored_finding.hpp"

namespace warden::collector::domain {

// What the agent says about its machine, at enrollment and at every hello (validated before it
// gets here: collector/message_validator.cpp).
struct HostDescription {
  std::string hostname;
  std::string os_id;  // /etc/os-release ID ("debian", "uos", "kylin"), "windows"
  std::string os_name;
  std::string os_version;
  std::string kernel;
  std::string arch;
  std::string machine_id;
  std::string agent_version;
};

// One row of the fleet lists.
struct HostSummary {
  std::string agent_id;
  std::string hostname;
  std::string department;
  bool online = false;  // connected to a collector of this database now
  int64_t last_seen_ms = 0;
  std::vector<std::string> failing;  // the checks it fails now
  std::string os_name;
  std::string peer_address;
  bool revoked = false;
  int64_t enrolled_at_ms = 0;
  std::string owner;
  std::string classification;  // "general" | "classified"
};

// Which hosts a list shows (all filters together).
struct HostFilter {
  std::string failing_check;        // only hosts failing this check
  std::string department;           // this department and those below it
  int64_t offline_for_seconds = 0;  // only hosts not connected and silent at least this long
  std::string classification;
};

// One host in full: the summary, what its agent says, its current results and facts.
struct HostDetail {
  HostSummary host;
  HostDescription description;
  std::vector<StoredFinding> findings;  // by check
  std::string cert_serial;
  std::string facts_json;  // the latest facts summary ("{}" before the first report)
};

// What an admin changes about a host (validated by the admin service); unset fields stay.
struct HostChange {
  std::string host;  // agent ID or hostname
  std::optional<std::string> department;
  std::optional<std::string> owner;
  std::optional<std::string> classification;  // normalised: "general" | "classified"
  std::string actor;
};

// A check's status changing on a host (status_history).
struct StatusChange {
  std::string check;
  std::string from_status;  // "" for the first result
  std::string to_status;
  int64_t at_ms = 0;
  uint64_t sweep_id = 0;
  std::string summary;
  std::string summary_key;
  std::string evidence_json;
};

struct HostHistory {
  HostSummary host;
  std::vector<StatusChange> changes;  // oldest first
};

}  // namespace warden::collector::domain
