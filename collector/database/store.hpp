// Queries and admin-side writes on the compliance database (tokens, enrollment, hosts, findings,
// sweeps). Report and event ingestion goes through the Ingestor instead, which batches.
// Thread-safe: one connection guarded by a mutex (admin traffic is light).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collector/ledger/ledger_csv.hpp"
#include "collector/policy/policy_document.hpp"
#include "collector/report/report_inputs.hpp"
#include "collector/storage/database.hpp"
#include "collector/storage/domain/audit_entry.hpp"
#include "collector/storage/domain/department_policy.hpp"
#include "collector/storage/domain/enrollment_token.hpp"
#include "collector/storage/domain/fleet_status.hpp"
#include "collector/storage/domain/host.hpp"
#include "collector/storage/domain/host_event.hpp"
#include "collector/storage/domain/incident.hpp"
#include "collector/storage/domain/remediation_item.hpp"
#include "collector/storage/domain/sweep.hpp"
#include "collector/storage/domain/usb_drive.hpp"
#include "common/agent_policy.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/time_zone.hpp"

namespace warden::collector {

// Why an enrollment was refused; the message is returned to the agent as is.
class EnrollmentRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HostIdentity {
  int64_t host_id = 0;
  std::string agent_id;
  std::string hostname;
  std::string department;
  std::string cert_serial;
  bool revoked = false;
  uint64_t last_seq = 0;
  std::string next_cert_serial;  // a renewed certificate the agent has not used yet ('' if none)
};

struct EnrolledHost {
  std::string agent_id;
  std::string department;
  std::string certificate_pem;
};

// Issues a certificate for (agent_id, department); returns (PEM, serial hex, not_after seconds).
struct IssuedCertificate {
  std::string pem;
  std::string serial_hex;
  int64_t not_after_s = 0;
};
using CertificateIssuer =
    std::function<IssuedCertificate(const std::string& agent_id, const std::string& department)>;

class Store {
 public:
  // Opens (SQLite: creating) the database and brings its schema up to date.
  explicit Store(const storage::Location& database, const Clock& clock = system_clock());
  storage::Backend backend() const { return db_->backend(); }

  // ---- time ----
  // The zone the report's days are counted in (report_days buckets; UTC until set). Counts the
  // kept reports again when the zone differs from the one they were counted in.
  void count_report_days_in(const TimeZone& zone);
  TimeZone time_zone() {
    std::lock_guard lock(mu_);
    return time_zone_;
  }

  // ---- tokens ----
  // Throws std::invalid_argument for a lifetime or a number of uses that is not positive.
  domain::CreatedEnrollmentToken create_token(const domain::NewEnrollmentToken& token);
  std::vector<domain::EnrollmentToken> list_tokens();
  // Throws Failure(not_found) if there is no such token.
  domain::EnrollmentToken revoke_token(const std::string& id);

  // ---- enrollment ----
  // Checks the token (exists, secret matches, not revoked, not expired, uses left), counts a use,
  // issues the certificate and records the host, all in one transaction.
  EnrolledHost enroll(const std::string& token, const domain::HostDescription& host,
                      const CertificateIssuer& issue);

  // ---- hosts ----
  std::optional<HostIdentity> find_host(const std::string& agent_id);
  void record_hello(int64_t host_id, const domain::HostDescription& host, const std::string& peer);
  void record_seen(int64_t host_id);
  // Certificate renewal: the renewed certificate becomes "next"; the first session that presents
  // it promotes it to current (and the old one stops working).
  void set_next_certificate(int64_t host_id, const IssuedCertificate& cert);
  void promote_next_certificate(int64_t host_id);
  // Looks a host up by agent ID, else by hostname (the most recently enrolled one).
  // By agent ID, or by hostname when exactly one live host has it (else the revoked one, if only
  // one); throws Failure(conflict) listing the candidates when a hostname is ambiguous.
  std::optional<HostIdentity> resolve_host(const std::string& agent_id_or_hostname);
  HostIdentity revoke_host(const std::string& agent_id_or_hostname);

  // `online`: the agent IDs connected now (FleetControl::online_agents).
  std::vector<domain::HostSummary> list_hosts(const domain::HostFilter& filter,
                                              const std::set<std::string>& online);
  std::optional<domain::HostDetail> get_host(const std::string& agent_id_or_hostname,
                                             const std::set<std::string>& online);
  domain::FleetStatus status(const std::set<std::string>& online);
  std::vector<domain::StoredFinding> list_findings(const domain::FindingFilter& filter);

  // ---- sweeps ----
  uint64_t create_sweep(const std::string& requested_by, const std::string& kind,
                        const std::vector<int64_t>& host_ids);
  // Online hosts are asked now; offline ones run it when they reconnect.
  uint64_t create_sweep(const std::string& requested_by, const std::string& kind,
                        const std::string& department, const std::vector<int64_t>& online,
                        const std::vector<int64_t>& offline);
  std::optional<domain::SweepProgress> get_sweep(uint64_t sweep_id);
  // The newest `limit` sweeps, newest first.
  std::vector<domain::SweepSummary> list_sweeps(uint32_t limit);
  // Unanswered sweeps this host was a target of, newer than since_ms (catch-up on reconnect).
  std::vector<uint64_t> pending_sweeps(int64_t host_id, int64_t since_ms);
  // Non-revoked hosts in a department subtree ("" = all): (host_id, agent_id).
  std::vector<std::pair<int64_t, std::string>> hosts_in(const std::string& department);
  std::vector<std::string> departments_with_hosts();

  // ---- host administration and history (store_queries.cpp) ----
  // The change is validated by the admin service; throws Failure(not_found) for no such host.
  domain::HostSummary set_host(const domain::HostChange& change,
                               const std::set<std::string>& online);
  std::optional<domain::HostHistory> host_history(const std::string& key,
                                                  const std::set<std::string>& online);
  std::vector<domain::HostEvent> list_events(const domain::EventFilter& filter);
  void audit(const std::string& actor, const std::string& action, const nlohmann::json& details);
  // The newest `limit` entries at or after since_ms, newest first.
  std::vector<domain::AuditEntry> list_audit(int64_t since_ms, uint32_t limit);
  // Deletes events, history and reports older than the cutoff, a batch at a time; returns rows.
  int64_t prune_before(int64_t cutoff_ms, int batch);

  // ---- ledger and removable media (store_registry.cpp) ----
  // The entries are validated (parse_ledger_csv). The file's entries replace the whole ledger.
  void replace_ledger(const std::vector<LedgerEntry>& entries, const std::string& actor,
                      const std::string& file_name, const std::string& encoding);
  std::vector<LedgerEntry> list_ledger();
  // Throws Failure(conflict) when another host has the entry's IP or MAC.
  LedgerEntry set_ledger_entry(const LedgerEntry& entry, const std::string& actor);
  void remove_ledger_entry(const std::string& hostname, const std::string& actor);
  // Registers (or registers again) a validated drive, as of now and by `actor`.
  domain::UsbRegistration register_usb(const domain::UsbDrive& drive, const std::string& actor);
  std::vector<domain::UsbDrive> list_usb();
  domain::UsbDriveHistory usb_history(const std::string& serial);

  // ---- policy (store_policy.cpp) ----
  uint64_t policy_revision();
  domain::DepartmentPolicy get_policy(const std::string& department);
  // Merges (or replaces) the department's overrides and bumps the revision; throws
  // std::invalid_argument naming the key when the result is not a valid policy.
  domain::DepartmentPolicy set_policy(const domain::PolicyChange& change);
  EffectivePolicy effective_policy_for(const std::string& department);
  // What the agent of this host gets: its department's agent policy, with the USB allow list
  // taken from the registry for the host's classification, versioned by the global revision.
  std::optional<std::pair<uint64_t, std::string>> agent_policy_for(int64_t host_id);

  // ---- several collectors on one database (store_cluster.cpp) ----
  // On the agents' connection: presence is written as sessions come and go.
  void register_collector(const std::string& collector_id, const std::string& address);
  // `leader`: whether this collector holds the fleet's leadership now.
  void heartbeat_collector(const std::string& collector_id, bool leader);
  void record_session(int64_t host_id, const std::string& collector_id);
  void end_session(int64_t host_id, const std::string& collector_id);
  // Agents connected to another collector that has sent a heartbeat since `alive_after_ms`.
  std::set<std::string> agents_on_other_collectors(const std::string& collector_id,
                                                   int64_t alive_after_ms);
  // The live collectors.
  struct CollectorRow {
    std::string id, address;
    int64_t heartbeat_at = 0;
    int64_t agents = 0;
    bool leader = false;
  };
  std::vector<CollectorRow> collectors(int64_t alive_after_ms);
  // Targets of a sweep that have not answered: (host_id, agent_id).
  std::vector<std::pair<int64_t, std::string>> unanswered_targets(uint64_t sweep_id);
  std::vector<uint64_t> sweeps_since(int64_t since_ms);

  // ---- the problem list and incident reports (store_remediation.cpp) ----
  // The admin service validates (host, check, texts, dates); these only store. Each change is
  // written to the audit log in the same transaction.
  // The check's latest status on the host ("" if it never reported one) and since when.
  std::optional<std::pair<std::string, int64_t>> latest_result(int64_t host_id,
                                                               const std::string& check);
  // Creates the open item for (host, check), or changes the one that is open.
  domain::RemediationItem set_remediation(int64_t host_id, const std::string& check,
                                          const std::string& measure, const std::string& person,
                                          int64_t deadline_ms, const std::string& note,
                                          const std::string& actor);
  // Throws Failure(not_found) if (host, check) has no open item. An empty note keeps the item's.
  domain::RemediationItem close_remediation(int64_t host_id, const std::string& check,
                                            const std::string& note, const std::string& actor);
  // Open items (and closed ones if asked), overdue first, then by deadline.
  std::vector<domain::RemediationItem> list_remediation(const domain::RemediationFilter& filter);
  // Incidents (transitions into a failing critical result) at or after since_ms and before
  // until_ms (0: no end), in a department subtree ("" = all), newest first, with their details.
  // Incidents with an ID above `after_id`, oldest first, at most `limit` (the notifier's cursor).
  std::vector<domain::Incident> incidents_after(int64_t after_id, int limit);
  int64_t last_history_id();  // the newest status_history row's ID (0: none)
  // A collector setting kept in the database (settings table); `fallback` when unset.
  std::string setting(const std::string& key, const std::string& fallback = "");
  void set_setting(const std::string& key, const std::string& value);
  std::vector<domain::Incident> list_incidents(int64_t since_ms, int64_t until_ms = 0,
                                               const std::string& department = {});
  // Fills the incident's fields that the request sets (a reporter named without a report time
  // and none recorded: reported now). Throws Failure(not_found) for an ID that
  // is not an incident.
  domain::Incident update_incident(const domain::IncidentUpdate& update, const std::string& actor);

  // ---- report (store_report.cpp) ----
  // What the self-check report reads for [from_ms, to_ms) and a department subtree ("" = all),
  // in one consistent read; collector/report/report_service.cpp assembles the report from it.
  ReportInputs report_inputs(int64_t from_ms, int64_t to_ms, const std::string& department);

 private:
  const Clock& clock_;
  nlohmann::json policy_document_locked(const std::string& department);
  // An event the collector itself observed about a host (not sent by its agent): stored with a
  // negative seq, so it never collides with the agent's own sequence numbers.
  void collector_event_on(storage::Connection& db, int64_t host_id, const std::string& kind,
                          const nlohmann::json& data);
  void audit_on(storage::Connection& db, const std::string& actor, const std::string& action,
                const nlohmann::json& details);
  void audit_locked(const std::string& actor, const std::string& action,
                    const nlohmann::json& details) {
    audit_on(*db_, actor, action, details);
  }
  void bump_revision_locked();
  std::vector<domain::Incident> incidents_locked(
      const std::string& where, const std::function<void(storage::Statement&)>& bind);
  std::vector<domain::RemediationItem> remediation_locked(
      const std::string& where, const std::function<void(storage::Statement&)>& bind);
  domain::HostSummary summary_from_row(storage::Statement& st, const std::set<std::string>& online);
  // Admin calls (queries, reports, writes) share one connection under mu_. Agents' sessions
  // (find_host, hello, last seen, certificate renewal, catch-up sweeps) have a connection and a
  // lock of their own, so that a long report, which holds mu_ for its whole read, never keeps
  // a reconnecting agent waiting (WAL lets both read at once; docs/benchmarks.md has the numbers).
  std::recursive_mutex mu_;
  std::unique_ptr<storage::Connection> db_;
  TimeZone time_zone_ = TimeZone::utc();
  std::mutex session_mu_;
  std::unique_ptr<storage::Connection> session_db_;
};

}  // namespace warden::collector
