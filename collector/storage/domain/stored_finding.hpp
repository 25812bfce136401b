// A host's latest result for one check, as the repositories read it back (latest_results): the
// agent's verdict with its evidence kept as the JSON text it was stored as, and when it was seen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/finding.hpp"

namespace warden::collector::domain {

struct StoredFinding {
  std::string agent_id;
  std::string hostname;
  std::string check;
  Status status = Status::error;
  Severity severity = Severity::info;
  std::string summary;  // English (readers render it again from summary_key and the evidence)
  std::string evidence_json;
  std::string summary_key;
  int64_t updated_at_ms = 0;
  int64_t since_ms = 0;   // since when the check has had this status
  uint64_t sweep_id = 0;  // the sweep that asked for it (0: none)
};

// Which current results a list shows (live hosts only), by hostname and check.
struct FindingFilter {
  std::string check;             // "" = every check
  std::optional<Status> status;  // none: any
};

}  // namespace warden::collector::domain
