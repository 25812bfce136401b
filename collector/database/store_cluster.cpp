// Presence and sweep fan-out when several collectors share one database
// (collector/cluster/fleet_cluster.hpp). Written on the agents' connection: a session's hello
// and end each cost one short statement.
#include "collector/database/store.hpp"

namespace warden::collector {

void Store::register_collector(const std::string& collector_id, const std::string& address) {
  std::lock_guard lock(session_mu_);
  int64_t now = clock_.now_ms();
  session_db_
      ->prepare(
          "INSERT INTO collectors (id, address, started_at, heartbeat_at) VALUES (?1, ?2, ?3, ?3) "
          "ON CONFLICT (id) DO UPDATE SET address = excluded.address, "
          "heartbeat_at = excluded.heartbeat_at")
      .bind(1, collector_id)
      .bind(2, address)
      .bind(3, now)
      .run();
}

void Store::heartbeat_collector(const std::string& collector_id, bool leader) {
  std::lock_guard lock(session_mu_);
  int64_t now = clock_.now_ms();
  auto st = session_db_->prepare("UPDATE collectors SET heartbeat_at = ?, leader = ? WHERE id = ?");
  st.bind(1, now).bind(2, leader).bind(3, collector_id).run();
  // Collectors gone for a day (crashed, never restarted) are forgotten with their sessions.
  session_db_
      ->prepare(
          "DELETE FROM agent_sessions WHERE collector_id IN (SELECT id FROM collectors WHERE "
          "heartbeat_at < ?1)")
      .bind(1, now - 86400000)
      .run();
  session_db_->prepare("DELETE FROM collectors WHERE heartbeat_at < ?")
      .bind(1, now - 86400000)
      .run();
}

void Store::record_session(int64_t host_id, const std::string& collector_id) {
  std::lock_guard lock(session_mu_);
  session_db_
      ->prepare(
          "INSERT INTO agent_sessions (host_id, collector_id, connected_at) VALUES (?, ?, ?) "
          "ON CONFLICT (host_id) DO UPDATE SET collector_id = excluded.collector_id, "
          "connected_at = excluded.connected_at")
      .bind(1, host_id)
      .bind(2, collector_id)
      .bind(3, clock_.now_ms())
      .run();
}

void Store::end_session(int64_t host_id, const std::string& collector_id) {
  std::lock_guard lock(session_mu_);
  // Only this collector's row: the agent may already be on another one.
  session_db_->prepare("DELETE FROM agent_sessions WHERE host_id = ? AND collector_id = ?")
      .bind(1, host_id)
      .bind(2, collector_id)
      .run();
}

std::set<std::string> Store::agents_on_other_collectors(const std::string& collector_id,
                                                        int64_t alive_after_ms) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare(
      "SELECT h.agent_id FROM agent_sessions s JOIN collectors c ON c.id = s.collector_id "
      "JOIN hosts h ON h.id = s.host_id WHERE s.collector_id <> ? AND c.heartbeat_at >= ?");
  st.bind(1, collector_id).bind(2, alive_after_ms);
  std::set<std::string> out;
  while (st.step()) out.insert(st.column_text(0));
  return out;
}

std::vector<Store::CollectorRow> Store::collectors(int64_t alive_after_ms) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare(
      "SELECT c.id, c.address, c.heartbeat_at, (SELECT count(*) FROM agent_sessions s WHERE "
      "s.collector_id = c.id), c.leader FROM collectors c WHERE c.heartbeat_at >= ? "
      "ORDER BY c.started_at");
  st.bind(1, alive_after_ms);
  std::vector<CollectorRow> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_text(1), st.column_int(2), st.column_int(3),
                   st.column_int(4) != 0});
  return out;
}

std::vector<std::pair<int64_t, std::string>> Store::unanswered_targets(uint64_t sweep_id) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare(
      "SELECT t.host_id, h.agent_id FROM sweep_targets t JOIN hosts h ON h.id = t.host_id "
      "WHERE t.sweep_id = ? AND t.answered_at IS NULL ORDER BY t.host_id");
  st.bind(1, sweep_id);
  std::vector<std::pair<int64_t, std::string>> out;
  while (st.step()) out.emplace_back(st.column_int(0), st.column_text(1));
  return out;
}

std::vector<uint64_t> Store::sweeps_since(int64_t since_ms) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare("SELECT id FROM sweeps WHERE requested_at >= ? ORDER BY id");
  st.bind(1, since_ms);
  std::vector<uint64_t> out;
  while (st.step()) out.push_back(static_cast<uint64_t>(st.column_int(0)));
  return out;
}

}  // namespace warden::collector
