// Store: host administration, history, events, incidents, sweeps listing, audit log, retention.
#include "collector/database/department_scope.hpp"
#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "common/duration.hpp"
#include "common/json_text.hpp"

namespace warden::collector {

using namespace rows;

void Store::audit_on(storage::Connection& db, const std::string& actor, const std::string& action,
                     const nlohmann::json& details) {
  db.prepare("INSERT INTO audit_log (at, actor, action, details) VALUES (?,?,?,?)")
      .bind(1, clock_.now_ms())
      .bind(2, actor.empty() ? std::string("admin") : actor)
      .bind(3, action)
      .bind(4, json_text(details))
      .run();
}

void Store::audit(const std::string& actor, const std::string& action,
                  const nlohmann::json& details) {
  std::lock_guard lock(mu_);
  audit_locked(actor, action, details);
}

std::vector<domain::AuditEntry> Store::list_audit(int64_t since_ms, uint32_t limit) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT at, actor, action, details FROM audit_log WHERE at >= ? ORDER BY id DESC LIMIT ?");
  st.bind(1, since_ms).bind(2, static_cast<int64_t>(limit));
  std::vector<domain::AuditEntry> out;
  while (st.step())
    out.push_back({st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3)});
  return out;
}

domain::HostSummary Store::set_host(const domain::HostChange& change,
                                    const std::set<std::string>& online) {
  auto host = resolve_host(change.host);
  if (!host) throw Failure(not_found("no host with agent ID or hostname '" + change.host + "'"));
  nlohmann::json changes = nlohmann::json::object();
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto set = [&](const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    db_->prepare(std::string("UPDATE hosts SET ") + column + " = ? WHERE id = ?")
        .bind(1, *value)
        .bind(2, host->host_id)
        .run();
    changes[column] = *value;
  };
  set("department", change.department);
  set("owner", change.owner);
  set("classification", change.classification);
  if (changes.empty())
    throw Failure(invalid("nothing to change: give a department, an owner or a classification"));
  changes["agent_id"] = host->agent_id;
  audit_locked(change.actor, "host.set", changes);
  bump_revision_locked();  // department or classification changes what policy the host gets
  tx.commit();
  auto st = db_->prepare(std::string("SELECT ") + kHostColumns + " FROM hosts h WHERE h.id = ?");
  st.bind(1, host->host_id);
  st.step();
  return summary_from_row(st, online);
}

std::optional<domain::HostHistory> Store::host_history(const std::string& key,
                                                       const std::set<std::string>& online) {
  auto host = resolve_host(key);
  if (!host) return std::nullopt;
  std::lock_guard lock(mu_);
  domain::HostHistory out;
  auto st = db_->prepare(std::string("SELECT ") + kHostColumns + " FROM hosts h WHERE h.id = ?");
  st.bind(1, host->host_id);
  if (!st.step()) return std::nullopt;
  out.host = summary_from_row(st, online);
  auto hs = db_->prepare(
      "SELECT check_id, coalesce(from_status, ''), to_status, at, coalesce(sweep_id, 0), summary, "
      "summary_key, evidence_json FROM status_history WHERE host_id = ? ORDER BY at, id");
  hs.bind(1, host->host_id);
  while (hs.step())
    out.changes.push_back({hs.column_text(0), hs.column_text(1), hs.column_text(2),
                           hs.column_int(3), static_cast<uint64_t>(hs.column_int(4)),
                           hs.column_text(5), hs.column_text(6), hs.column_text(7)});
  return out;
}

std::vector<domain::HostEvent> Store::list_events(const domain::EventFilter& filter) {
  std::lock_guard lock(mu_);
  std::string sql =
      "SELECT h.agent_id, h.hostname, e.kind, e.at, e.received_at, e.data_json FROM events e "
      "JOIN hosts h ON h.id = e.host_id WHERE e.received_at >= ?1";
  // The kind and those below it, compared literally (no LIKE: '_' is no wildcard here).
  if (!filter.kind.empty())
    sql += " AND (e.kind = ?2 OR substr(e.kind, 1, length(?2) + 1) = ?2 || '.')";
  if (!filter.host.empty()) sql += " AND (h.agent_id = ?3 OR h.hostname = ?3)";
  sql += " ORDER BY e.received_at DESC, e.id DESC LIMIT ?4";
  auto st = db_->prepare(sql);
  st.bind(1, filter.since_ms);
  if (!filter.kind.empty()) st.bind(2, filter.kind);
  if (!filter.host.empty()) st.bind(3, filter.host);
  st.bind(4, static_cast<int64_t>(filter.limit));
  std::vector<domain::HostEvent> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_int(3),
                   st.column_int(4), st.column_text(5)});
  return out;
}

std::vector<domain::SweepSummary> Store::list_sweeps(uint32_t limit) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT s.id, s.requested_at, s.requested_by, s.kind, s.department, "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = TRUE), "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = TRUE AND "
      "t.answered_at IS NOT NULL), "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = FALSE) "
      "FROM sweeps s ORDER BY s.id DESC LIMIT ?");
  st.bind(1, static_cast<int64_t>(limit));
  std::vector<domain::SweepSummary> out;
  while (st.step())
    out.push_back({static_cast<uint64_t>(st.column_int(0)), st.column_int(1), st.column_text(2),
                   st.column_text(3), st.column_text(4), static_cast<uint32_t>(st.column_int(5)),
                   static_cast<uint32_t>(st.column_int(6)),
                   static_cast<uint32_t>(st.column_int(7))});
  return out;
}

std::vector<uint64_t> Store::pending_sweeps(int64_t host_id, int64_t since_ms) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare(
      "SELECT t.sweep_id FROM sweep_targets t JOIN sweeps s ON s.id = t.sweep_id "
      "WHERE t.host_id = ? AND t.answered_at IS NULL AND s.requested_at >= ? ORDER BY t.sweep_id");
  st.bind(1, host_id).bind(2, since_ms);
  std::vector<uint64_t> out;
  while (st.step()) out.push_back(static_cast<uint64_t>(st.column_int(0)));
  return out;
}

std::vector<std::pair<int64_t, std::string>> Store::hosts_in(const std::string& department) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT id, agent_id FROM hosts WHERE revoked = FALSE AND " +
                         department_subtree_sql("department", 1));
  st.bind(1, department);
  std::vector<std::pair<int64_t, std::string>> out;
  while (st.step()) out.emplace_back(st.column_int(0), st.column_text(1));
  return out;
}

std::vector<std::string> Store::departments_with_hosts() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT DISTINCT department FROM hosts WHERE revoked = FALSE ORDER BY 1");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

int64_t Store::prune_before(int64_t cutoff_ms, int batch) {
  int64_t total = 0;
  for (const char* sql :
       {"DELETE FROM events WHERE id IN (SELECT id FROM events WHERE received_at < ?1 LIMIT ?2)",
        "DELETE FROM incident_details WHERE history_id IN (SELECT history_id FROM "
        "incident_details WHERE at < ?1 LIMIT ?2)",
        "DELETE FROM status_history WHERE id IN (SELECT id FROM status_history WHERE at < ?1 LIMIT "
        "?2)",
        "DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE received_at < ?1 LIMIT ?2)",
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ?1 LIMIT ?2)",
        "DELETE FROM report_days WHERE (day, department) IN (SELECT day, department FROM "
        "report_days WHERE day < CAST(?1 AS BIGINT) / 86400000 LIMIT ?2)"}) {
    std::lock_guard lock(mu_);  // short transactions: ingest is never blocked for long
    auto st = db_->prepare(sql);
    st.bind(1, cutoff_ms).bind(2, batch).run();
    total += st.rows_affected();
  }
  return total;
}

}  // namespace warden::collector
