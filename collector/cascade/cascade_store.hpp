// The cascade's part of the compliance database (docs/cascade.md), on the storage seam.
//
// At the level above: the units enrolled here, what each forwards (members, hosts and their latest
// results, incidents, sweeps), and the sweeps asked of them. At a unit: what it has forwarded and
// the level above acknowledged (a digest per host and sweep, cursors over incidents), so a link
// down for days resumes where it stopped and sends only what changed. A collector can be both
// (a city's collector is a unit of the province's and the level above of its counties').
// Thread-safe: its own connection, guarded by a mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collector/database/store.hpp"
#include "collector/report/report_inputs.hpp"
#include "collector/storage/database.hpp"
#include "collector/storage/domain/unit_summary.hpp"
#include "common/clock.hpp"
#include "warden/v1/admin.pb.h"
#include "warden/v1/cascade.pb.h"

namespace warden::collector {

struct UnitIdentity {
  int64_t id = 0;
  std::string unit_id;  // the CN of its certificate
  std::string name;
  std::string department;
  bool revoked = false;
  std::string cert_serial;  // the certificate it enrolled with: no other one is the unit
};

struct EnrolledUnit {
  std::string unit_id;
  std::string department;
  std::string certificate_pem;
};

// A unit by its path from here: the direct unit, and the origin below it ("" the unit itself).
struct UnitRef {
  int64_t id = 0;
  std::string origin;
  std::string path;
};

// What a unit sends next, and what to record once the level above acknowledges it.
struct PendingBatch {
  v1::UnitBatch batch;
  std::vector<std::pair<std::string, std::string>> digests;  // forwarded key -> digest
  std::vector<std::string> forgotten;                        // keys the batch said are gone
  int64_t incident_cursor = 0;
  int64_t unit_incident_cursor = 0;
  // Incidents sent before whose details changed since (incident_details.updated_at here,
  // unit_incidents.details_received_at for those relayed).
  int64_t details_cursor = 0;
  int64_t unit_details_cursor = 0;
  bool more = false;  // something did not fit: send another batch right away
};

struct ForwardOptions {
  std::string unit_name;
  bool send_facts = true;  // false: owner, IP, MAC and OS stay at the unit (results never do)
  size_t max_hosts = 1000;
  size_t max_incidents = 500;
  // Everything, as a full batch, whatever the level above acknowledged (an offline exchange
  // bundle: docs/exchange.md); the link's own state is neither read nor changed. Incidents from
  // `since_ms` on.
  bool snapshot = false;
  int64_t since_ms = 0;
};

// A sweep the level above asked this unit to run (origin ""), not started yet.
struct UpstreamSweepRequest {
  uint64_t request_id = 0;
  std::string kind;
};

class CascadeStore {
 public:
  explicit CascadeStore(const storage::Location& database, const Clock& clock = system_clock());

  // ---- the level above ----
  // Spends a token of kind "unit" and records the unit; the name must be new here.
  EnrolledUnit enroll_unit(const std::string& token, const std::string& name,
                           const CertificateIssuer& issue);
  std::optional<UnitIdentity> find_unit(const std::string& unit_id);
  // Applies a validated batch in one transaction; idempotent (a resent batch changes nothing).
  v1::UnitAck apply(const UnitIdentity& unit, const v1::UnitBatch& batch);
  std::vector<domain::UnitSummary> list_units();
  // Revokes a direct unit by name (Failure(not_found) if none): see RevokeUnit in admin.proto.
  domain::UnitSummary revoke_unit(const std::string& name);
  // Each unit (as list_units) with its hosts' latest results per check, for the report.
  std::vector<domain::UnitCompliance> unit_compliance();
  // "county-a" or "city-b/county-c"; throws Failure(not_found) for an unknown unit.
  UnitRef resolve(const std::string& path);
  domain::FleetStatus unit_status(const UnitRef& unit);
  // failing_check, department and classification apply (a unit's hosts' silence is its own).
  std::vector<domain::HostSummary> unit_hosts(const UnitRef& unit,
                                              const domain::HostFilter& filter);
  uint64_t request_sweep(const UnitRef& unit, const std::string& requested_by);
  // What the report of one unit below reads (collector/cascade/unit_report_inputs.cpp): its own
  // hosts (the unit's origin, not the units below it) as last forwarded, their results, those
  // that reported in [from_ms, to_ms), its incidents of the period; its ledger size and last
  // contact; the hosts online at its last contact.
  struct UnitReportInputs {
    ReportInputs inputs;
    std::set<std::string> online;
    int64_t ledger_hosts = 0;
    int64_t last_contact_ms = 0;
  };
  UnitReportInputs unit_report_inputs(const UnitRef& unit, int64_t from_ms, int64_t to_ms);
  // Incidents the units below forwarded since `since_ms`, newest first; `unit` is the unit's path
  // and `id` 0 (an incident is filled in where it happened).
  std::vector<domain::Incident> unit_incidents(int64_t since_ms);

  // ---- a unit ----
  // What changed since the last acknowledged batch (`online`: agent IDs connected now).
  PendingBatch next_batch(const ForwardOptions& options, const std::set<std::string>& online);
  // The level above applied `pending` (ack.applied_seq == its seq): remember it, take the sweeps
  // asked for (relaying those for units below), and start over when the level above asks to.
  void acknowledge(const PendingBatch& pending, const v1::UnitAck& ack);
  // A critical incident not forwarded yet (cheap: the link polls it every few seconds).
  bool has_unforwarded_incidents();
  std::vector<UpstreamSweepRequest> sweeps_to_start();
  void record_sweep_started(uint64_t request_id, uint64_t sweep_id);
  uint64_t acknowledged_seq();

 private:
  // Incidents the units below forwarded matching `where` (over unit_incidents i), newest first.
  std::vector<domain::Incident> incidents_locked(
      const std::string& where, const std::function<void(storage::Statement&)>& bind);
  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<storage::Connection> db_;
};

}  // namespace warden::collector
