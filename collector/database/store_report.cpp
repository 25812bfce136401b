// Store: what the periodic self-check report reads (collector/report/report_inputs.hpp). The
// report itself is assembled by collector/report/report_service.cpp.
#include "collector/database/department_scope.hpp"
#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "common/duration.hpp"

namespace warden::collector {

ReportInputs Store::report_inputs(int64_t from_ms, int64_t to_ms, const std::string& department) {
  std::lock_guard lock(mu_);  // one consistent read for every section
  ReportInputs in;

  auto hs = db_.prepare(
      "SELECT h.id, h.agent_id, h.hostname, h.department, h.owner, h.classification, "
      " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "h.peer_address), "
      " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "''), "
      " h.os_name, coalesce(h.last_seen, h.enrolled_at), h.failing_checks FROM hosts h "
      "WHERE h.revoked = 0 ORDER BY h.id");
  while (hs.step()) {
    std::string dept = hs.column_text(3);
    if (!in_department_subtree(dept, department)) continue;
    in.hosts.push_back({hs.column_int(0), hs.column_text(1), hs.column_text(2), std::move(dept),
                        hs.column_text(4), hs.column_text(5), hs.column_text(6), hs.column_text(7),
                        hs.column_text(8), hs.column_int(9),
                        rows::split_commas(hs.column_text(10))});
  }

  auto rs = db_.prepare(  // kept by the ingest path (schema migration 4)
      "SELECT department, check_id, status, hosts FROM result_counts WHERE hosts > 0");
  while (rs.step()) {
    std::string dept = rs.column_text(0);
    if (!in_department_subtree(dept, department)) continue;
    in.result_counts.push_back(
        {std::move(dept), rs.column_text(1), rs.column_text(2), rs.column_int(3)});
  }

  auto sh = db_.prepare(
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

  auto ie = db_.prepare(
      "SELECT e.host_id, e.kind, e.at, e.data_json FROM events e "
      "WHERE e.kind IN ('host.renamed', 'host.machine_changed', 'host.duplicate_identity') "
      "AND e.received_at >= ? AND e.received_at < ? ORDER BY e.received_at, e.id");
  ie.bind(1, from_ms).bind(2, to_ms);
  while (ie.step())
    in.identity_events.push_back(
        {ie.column_int(0), ie.column_text(1), ie.column_int(2), ie.column_text(3)});

  // Kept by the ingest path: a row per UTC day and department. Whole days the period touches.
  auto tr = db_.prepare(
      "SELECT day, department, findings, failing FROM report_days WHERE day >= ? AND day <= ?");
  tr.bind(1, from_ms / kDayMs).bind(2, (to_ms - 1) / kDayMs);
  while (tr.step()) {
    std::string dept = tr.column_text(1);
    if (!in_department_subtree(dept, department)) continue;
    in.days.push_back({tr.column_int(0), std::move(dept), tr.column_int(2), tr.column_int(3)});
  }
  return in;
}

}  // namespace warden::collector
