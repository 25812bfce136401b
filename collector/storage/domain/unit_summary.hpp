// A unit below this collector (cascade, docs/cascade.md) as it last forwarded: how the level
// above lists it, and its hosts' current results per check for the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/storage/domain/fleet_status.hpp"

namespace warden::collector::domain {

struct UnitSummary {
  std::string name;          // path: "county-a", "city-b/county-c"
  std::string unit_id;       // the direct unit's certificate CN
  std::string department;    // the department its token placed it in
  int64_t ledger_hosts = 0;  // 应查
  int64_t hosts = 0;         // hosts it forwarded (not revoked)
  int64_t reporting = 0;     // of them, reported in the last 24 hours
  int64_t online = 0;
  int64_t failing = 0;
  double compliance_rate = 1.0;  // pass ÷ (pass+fail+error) over its hosts' latest results
  int64_t last_contact_ms = 0;   // last batch received (further down: as relayed)
  int64_t enrolled_at_ms = 0;
  uint64_t pending_sweeps = 0;  // asked of it and not yet reported
};

struct UnitCompliance {
  UnitSummary unit;
  std::vector<CheckCount> checks;  // by check ID
};

}  // namespace warden::collector::domain
