// The report's cascade part: the units below this collector and everything rolled up (this
// collector's own hosts and every unit's). Pure: reads what the report and the units hold.
#pragma once

#include <vector>

#include "collector/storage/domain/unit_summary.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

// Sets `report.units` and `report.rolled_up` from `units` and the report's own figures (summary,
// scope and the per-check results of its requirements).
void add_units(v1::SelfCheckReport& report, const std::vector<domain::UnitCompliance>& units);

}  // namespace warden::collector
