// What the self-check report reads from the compliance database, as plain rows: what
// Store::report_inputs returns and ReportService assembles into the typed report (proto
// warden.v1.SelfCheckReport). Storage fills these and nothing else; the sections, rates and tallies
// are the report service's (collector/report/report_service.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/storage/domain/incident.hpp"

namespace warden::collector {

// A live (not revoked) host in the report's department subtree.
struct ReportHost {
  int64_t host_id = 0;
  std::string agent_id, hostname, department, owner, classification;
  std::string ip, mac;       // its first address (by IP), else the peer address and no MAC
  std::string os;            // os_name (PRETTY_NAME)
  std::string os_id;         // /etc/os-release ID: debian, uos, kylin, ...
  int64_t last_seen_ms = 0;  // or its enrollment time, if it never connected
  std::vector<std::string> failing_checks;
};

// How many hosts in `department` have `status` ("pass", "fail", "error", "not_applicable") as the
// latest result of `check`.
struct ResultCount {
  std::string department, check, status;
  int64_t hosts = 0;
};

// A transition into "fail" in the period, and when the check next left "fail" (if it did).
struct FailureSpan {
  int64_t host_id = 0;
  std::string check;
  int64_t began_ms = 0;
  std::optional<int64_t> ended_ms;
};

// A host identity event received in the period (host.renamed, host.machine_changed,
// host.duplicate_identity), in the order received.
struct IdentityEventRow {
  int64_t host_id = 0;
  std::string kind;
  int64_t at_ms = 0;
  std::string data_json;
};

// Reports received on one UTC day (days since the epoch) from hosts then in `department`.
struct ReportDayCount {
  int64_t day = 0;
  std::string department;
  int64_t findings = 0, failing = 0;
};

// A ledger entry (the PCs that should be checked).
struct LedgerRow {
  std::string hostname, ip, mac, department, owner;
};

// The antivirus product a host's latest passing av.installed names.
struct AntivirusInUse {
  int64_t host_id = 0;
  std::string product;
};

// A latest result that is failing (fail or error), and since when.
struct FailingResult {
  int64_t host_id = 0;
  std::string check, status;
  int64_t since_ms = 0;
};

// An open remediation item, with the check's latest status on its host ("" if none).
struct RemediationRow {
  int64_t host_id = 0;
  std::string check, measure, person, note;
  int64_t deadline_ms = 0;
  std::string result;
  int64_t since_ms = 0;  // when that status began
};

struct ReportInputs {
  std::vector<ReportHost> hosts;  // by host_id
  std::vector<ResultCount> result_counts;
  std::vector<FailureSpan> failures;  // of every host: the report keeps those of `hosts`
  std::vector<IdentityEventRow> identity_events;  // of every host, likewise
  std::vector<ReportDayCount> days;
  std::vector<LedgerRow> ledger;               // in the department subtree
  std::vector<int64_t> reported_host_ids;      // hosts with a report received in the period
  std::vector<AntivirusInUse> antivirus;       // of every host: the report keeps those of `hosts`
  std::vector<FailingResult> failing_results;  // of every host, likewise
  std::vector<RemediationRow> remediation_items;  // open ones, of every host, likewise
  std::vector<domain::Incident> incidents;  // of the period in the department subtree, newest first
};

}  // namespace warden::collector
