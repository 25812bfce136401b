// The periodic self-check report (docs/reports.md): a unit's compliance, remediation, USB
// violations, identity events, offline hosts and trend over a period, for the level above.
//
// Storage reads the rows (Store::report_inputs, plain structs); this file turns them into the
// typed report (proto warden.v1.SelfCheckReport): sections, rates and remediation tallies.
// wardenctl renders the result as JSON, CSV or HTML (collector/wardenctl/report_render.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "collector/report/report_inputs.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/time_zone.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {
class CascadeStore;
class Store;
}  // namespace warden::collector

namespace warden::collector {

class Store;

// The rate the units' rules ask of remediation within the deadline.
inline constexpr double kRemediationTarget = 0.95;

struct ReportScope {
  int64_t from_ms = 0, to_ms = 0;  // [from, to)
  std::string department;          // "" = the whole fleet, else it and the departments below it
};

// The unit filing the report (collector.conf unit_name, unit_person, unit_contact, unit_phone).
struct UnitInfo {
  std::string name, person_responsible, contact, phone;
};

// Whether an /etc/os-release ID is a domestic (Chinese) operating system: UOS, Kylin, openKylin,
// Deepin, NeoKylin, NFSChina, iSoft, openEuler, Anolis, OpenCloudOS.
bool is_domestic_os(std::string_view os_id);

// What a caller asks for: each bound a local date ("YYYY-MM-DD", in the collector's zone), or an
// instant (Unix ms), or neither for both: the last full calendar month.
struct ReportRequest {
  std::string from_date, to_date;  // to_date exclusive
  int64_t from_ms = 0, to_ms = 0;
  std::string department;
  std::string unit;  // a unit below (path): its report from what it forwarded

  static ReportRequest dates(std::string from, std::string to = {}) {
    ReportRequest r;
    r.from_date = std::move(from);
    r.to_date = std::move(to);
    return r;
  }
  static ReportRequest instants(int64_t from, int64_t to) {
    ReportRequest r;
    r.from_ms = from;
    r.to_ms = to;
    return r;
  }
};

// The period `req` names, days starting at local midnight in `zone`; invalid for a malformed
// date, a missing start, or a period that does not end after it starts. Pure.
Result<ReportScope> resolve_period(const ReportRequest& req, const TimeZone& zone, int64_t now_ms);

// Assembles the report from what storage read. Pure: `now_ms` decides which failures are past
// their deadline, `deadline_days` gives a department's remediation deadline (called once per
// department that had a failure), `online` holds the agent IDs connected now, and `zone` the
// local days of the trend and the period's dates.
v1::SelfCheckReport assemble_report(const ReportInputs& in, const ReportScope& scope,
                                    int64_t now_ms, const std::set<std::string>& online,
                                    const std::function<int(const std::string&)>& deadline_days,
                                    const TimeZone& zone = TimeZone::utc(),
                                    const UnitInfo& unit = {});

class ReportService {
 public:
  explicit ReportService(Store& store, const Clock& clock = system_clock())
      : store_(store), clock_(clock) {}

  // Throws Failure(invalid) for a period resolve_period refuses.
  v1::SelfCheckReport build(const ReportRequest& req, const std::set<std::string>& online);
  // Set once at start, before any call.
  void set_unit(UnitInfo unit) { unit_ = std::move(unit); }
  // The units below (cascade): a whole-fleet report lists them and rolls everything up.
  void set_cascade(CascadeStore* cascade) { cascade_ = cascade; }

 private:
  Store& store_;
  CascadeStore* cascade_ = nullptr;
  const Clock& clock_;
  UnitInfo unit_;
};

}  // namespace warden::collector
