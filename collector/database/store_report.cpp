// Store: what the periodic self-check report reads (collector/report/report_inputs.hpp). The
// report itself is assembled by collector/report/report_service.cpp.
#include "collector/database/department_scope.hpp"
#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "common/duration.hpp"

#include <array>
#include <map>

namespace warden::collector {

ReportInputs Store::report_inputs(int64_t from_ms, int64_t to_ms, const std::string& department) {
  std::lock_guard lock(mu_);  // one consistent read for every section
  ReportInputs in;

  auto hs = db_->prepare(
      "SELECT h.id, h.agent_id, h.hostname, h.department, h.owner, h.classification, "
      " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "h.peer_address), "
      " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "''), "
      " h.os_name, h.os_id, coalesce(h.last_seen, h.enrolled_at), h.failing_checks FROM hosts h "
      "WHERE h.revoked = FALSE ORDER BY h.id");
  while (hs.step()) {
    std::string dept = hs.column_text(3);
    if (!in_department_subtree(dept, department)) continue;
    in.hosts.push_back({hs.column_int(0), hs.column_text(1), hs.column_text(2), std::move(dept),
                        hs.column_text(4), hs.column_text(5), hs.column_text(6), hs.column_text(7),
                        hs.column_text(8), hs.column_text(9), hs.column_int(10),
                        split_commas(hs.column_text(11))});
  }

  auto ls = db_->prepare(
      "SELECT hostname, ip, mac, department, owner FROM ledger ORDER BY department, hostname");
  while (ls.step()) {
    std::string dept = ls.column_text(3);
    if (!in_department_subtree(dept, department)) continue;
    in.ledger.push_back({ls.column_text(0), ls.column_text(1), ls.column_text(2), std::move(dept),
                         ls.column_text(4)});
  }

  // Which hosts reported in the period: the reports index by host and seq; a host's reports are
  // few per day, so this reads one row per report of the period.
  auto rh = db_->prepare(
      "SELECT DISTINCT host_id FROM reports WHERE received_at >= ? AND received_at < ?");
  rh.bind(1, from_ms).bind(2, to_ms);
  while (rh.step()) in.reported_host_ids.push_back(rh.column_int(0));

  // The product's name from the evidence: JSON paths are the one thing the two backends spell
  // differently here (PostgreSQL's json column is valid JSON by construction).
  auto av = db_->prepare(
      db_->backend() == storage::Backend::postgresql
          ? "SELECT host_id, coalesce(evidence_json->>'name', evidence_json->>'product', '') "
            "FROM latest_results WHERE check_id = 'av.installed' AND status = 'pass'"
          : "SELECT host_id, coalesce(json_extract(evidence_json, '$.name'), "
            "json_extract(evidence_json, '$.product'), '') FROM latest_results "
            "WHERE check_id = 'av.installed' AND status = 'pass' AND json_valid(evidence_json)");
  while (av.step()) in.antivirus.push_back({av.column_int(0), av.column_text(1)});

  auto rs = db_->prepare(  // kept by the ingest path (schema migration 4)
      "SELECT department, check_id, status, hosts FROM result_counts WHERE hosts > 0");
  while (rs.step()) {
    std::string dept = rs.column_text(0);
    if (!in_department_subtree(dept, department)) continue;
    in.result_counts.push_back(
        {std::move(dept), rs.column_text(1), rs.column_text(2), rs.column_int(3)});
  }

  auto sh = db_->prepare(
      "SELECT f.host_id, f.check_id, f.at, (SELECT min(x.at) FROM status_history x WHERE x.host_id "
      "= f.host_id "
      " AND x.check_id = f.check_id AND x.at >= f.at AND x.id > f.id AND x.to_status <> 'fail') "
      "FROM status_history f WHERE f.to_status = 'fail' AND f.at >= ? AND f.at < ?");
  sh.bind(1, from_ms).bind(2, to_ms);
  while (sh.step()) {
    FailureSpan f{sh.column_int(0), sh.column_text(1), sh.column_int(2), std::nullopt};
    if (!sh.column_is_null(3)) f.ended_ms = sh.column_int(3);
    in.failures.push_back(std::move(f));
  }

  auto ie = db_->prepare(
      "SELECT e.host_id, e.kind, e.at, e.data_json FROM events e "
      "WHERE e.kind IN ('host.renamed', 'host.machine_changed', 'host.duplicate_identity') "
      "AND e.received_at >= ? AND e.received_at < ? ORDER BY e.received_at, e.id");
  ie.bind(1, from_ms).bind(2, to_ms);
  while (ie.step())
    in.identity_events.push_back(
        {ie.column_int(0), ie.column_text(1), ie.column_int(2), ie.column_text(3)});

  // The problem list: failing latest results and the open remediation items.
  auto fr = db_->prepare(
      "SELECT host_id, check_id, status, since FROM latest_results "
      "WHERE status IN ('fail', 'error') ORDER BY host_id, check_id");
  while (fr.step())
    in.failing_results.push_back(
        {fr.column_int(0), fr.column_text(1), fr.column_text(2), fr.column_int(3)});
  auto ri = db_->prepare(
      "SELECT ri.host_id, ri.check_id, ri.measure, ri.person, ri.note, ri.deadline, "
      " coalesce(r.status, ''), coalesce(r.since, 0) FROM remediation_items ri "
      "LEFT JOIN latest_results r ON r.host_id = ri.host_id AND r.check_id = ri.check_id "
      "WHERE ri.status = 'open' ORDER BY ri.host_id, ri.check_id");
  while (ri.step())
    in.remediation_items.push_back({ri.column_int(0), ri.column_text(1), ri.column_text(2),
                                    ri.column_text(3), ri.column_text(4), ri.column_int(5),
                                    ri.column_text(6), ri.column_int(7)});
  in.incidents = list_incidents(from_ms, to_ms, department);

  // Kept by the ingest path: a row per local day (time_zone_) and department. Whole days the
  // period touches.
  auto tr = db_->prepare(
      "SELECT day, department, findings, failing FROM report_days WHERE day >= ? AND day <= ?");
  tr.bind(1, time_zone_.day_number(from_ms)).bind(2, time_zone_.day_number(to_ms - 1));
  while (tr.step()) {
    std::string dept = tr.column_text(1);
    if (!in_department_subtree(dept, department)) continue;
    in.days.push_back({tr.column_int(0), std::move(dept), tr.column_int(2), tr.column_int(3)});
  }
  return in;
}

void Store::count_report_days_in(const TimeZone& zone) {
  std::lock_guard lock(mu_);
  time_zone_ = zone;
  // report_days buckets reports by local day. Rows counted in another zone (or, before schema 5,
  // in UTC days) are counted again from the reports kept, once, when the zone changes.
  std::string counted_in = "UTC";
  auto st = db_->prepare("SELECT value FROM settings WHERE key = 'report_days_time_zone'");
  if (st.step()) counted_in = st.column_text(0);
  if (counted_in == zone.name()) return;
  std::map<std::pair<int64_t, std::string>, std::array<int64_t, 3>> days;
  auto rs = db_->prepare(
      "SELECT r.received_at, h.department, r.findings_count, r.failing_count FROM reports r "
      "JOIN hosts h ON h.id = r.host_id");
  while (rs.step()) {
    auto& d = days[{zone.day_number(rs.column_int(0)), rs.column_text(1)}];
    ++d[0];
    d[1] += rs.column_int(2);
    d[2] += rs.column_int(3);
  }
  storage::Transaction tx(*db_);
  db_->exec("DELETE FROM report_days");
  auto ins = db_->prepare(
      "INSERT INTO report_days (day, department, reports, findings, failing) VALUES (?,?,?,?,?)");
  for (const auto& [key, d] : days) {
    ins.bind(1, key.first).bind(2, key.second).bind(3, d[0]).bind(4, d[1]).bind(5, d[2]);
    ins.run();
  }
  db_->prepare(
         "INSERT INTO settings (key, value) VALUES ('report_days_time_zone', ?1) "
         "ON CONFLICT (key) DO UPDATE SET value = ?1")
      .bind(1, zone.name())
      .run();
  tx.commit();
}

}  // namespace warden::collector
