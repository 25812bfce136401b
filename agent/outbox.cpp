#include "agent/outbox.hpp"

#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::agent {

namespace {

// Violations (a failing finding) are kept longest when the outbox must shed messages.
int priority_of(const v1::AgentMessage& msg) {
  auto has_fail = [](const auto& findings) {
    for (const auto& f : findings)
      if (f.status() == v1::STATUS_FAIL) return true;
    return false;
  };
  if (msg.has_report()) return has_fail(msg.report().findings()) ? 2 : 1;
  if (msg.has_event()) return has_fail(msg.event().findings()) ? 2 : 0;
  return 0;
}

uint64_t meta_value(sqlite::Connection& db, const char* key) {
  auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  return st.step() ? static_cast<uint64_t>(st.column_int(0)) : 0;
}

void set_meta(sqlite::Connection& db, const char* key, uint64_t value) {
  db.prepare(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")
      .bind(1, key)
      .bind(2, value)
      .run();
}

}  // namespace

Outbox::Outbox(const std::string& path, OutboxLimits limits) : db_(path), limits_(limits) {
  db_.exec(R"sql(
    CREATE TABLE IF NOT EXISTS outbox (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after deletes
      priority   INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      payload    BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  )sql");
}

uint64_t Outbox::append(v1::AgentMessage msg) {
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(db_);
  db_.prepare("INSERT INTO outbox (priority, created_at, payload) VALUES (?, ?, x'')")
      .bind(1, priority_of(msg))
      .bind(2, now_ms())
      .run();
  auto seq = static_cast<uint64_t>(db_.last_insert_rowid());
  msg.set_seq(seq);
  std::string payload;
  msg.SerializeToString(&payload);
  db_.prepare("UPDATE outbox SET payload = ? WHERE seq = ?")
      .bind_blob(1, payload)
      .bind(2, seq)
      .run();
  enforce_limits();
  tx.commit();
  return seq;
}

void Outbox::enforce_limits() {
  auto count = db_.prepare("SELECT count(*), coalesce(sum(length(payload)), 0) FROM outbox");
  count.step();
  auto n = static_cast<size_t>(count.column_int(0));
  auto bytes = static_cast<size_t>(count.column_int(1));
  count.reset();
  if (n <= limits_.max_messages && bytes <= limits_.max_bytes) return;
  uint64_t dropped = 0;
  auto victim =
      db_.prepare("SELECT seq, length(payload) FROM outbox ORDER BY priority, seq LIMIT 1");
  auto del = db_.prepare("DELETE FROM outbox WHERE seq = ?");
  while (n > limits_.max_messages || bytes > limits_.max_bytes) {
    if (!victim.step()) break;
    auto seq = victim.column_int(0);
    bytes -= static_cast<size_t>(victim.column_int(1));
    victim.reset();
    del.bind(1, seq);
    del.run();
    --n;
    ++dropped;
  }
  set_meta(db_, "dropped", meta_value(db_, "dropped") + dropped);
  LOG_WARN("outbox", "outbox full: dropped " << dropped << " unacknowledged message(s)");
}

void Outbox::acknowledge(uint64_t seq) {
  std::lock_guard lock(mu_);
  if (seq <= meta_value(db_, "last_acked")) return;
  sqlite::Transaction tx(db_);
  db_.prepare("DELETE FROM outbox WHERE seq <= ?").bind(1, seq).run();
  set_meta(db_, "last_acked", seq);
  tx.commit();
}

bool Outbox::resync(uint64_t collector_committed) {
  std::lock_guard lock(mu_);
  auto next = db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'");
  uint64_t assigned = next.step() ? static_cast<uint64_t>(next.column_int(0)) : 0;
  next.reset();
  if (collector_committed <= assigned) return false;
  sqlite::Transaction tx(db_);
  std::vector<std::pair<int64_t, std::string>> rows;  // priority, payload
  std::vector<int64_t> created;
  {
    auto st = db_.prepare("SELECT priority, created_at, payload FROM outbox ORDER BY seq");
    while (st.step()) {
      rows.emplace_back(st.column_int(0), st.column_text(2));
      created.push_back(st.column_int(1));
    }
  }
  db_.exec("DELETE FROM outbox");
  uint64_t seq = collector_committed;
  auto insert =
      db_.prepare("INSERT INTO outbox (seq, priority, created_at, payload) VALUES (?, ?, ?, ?)");
  for (size_t i = 0; i < rows.size(); ++i) {
    v1::AgentMessage m;
    if (!m.ParseFromString(rows[i].second)) continue;
    m.set_seq(++seq);
    std::string payload;
    m.SerializeToString(&payload);
    insert.bind(1, seq).bind(2, rows[i].first).bind(3, created[i]).bind_blob(4, payload);
    insert.run();
    insert.reset();
  }
  // AUTOINCREMENT continues after the largest seq ever used: make that the collector's mark.
  db_.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'").bind(1, seq).run();
  if (db_.changes() == 0)
    db_.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)").bind(1, seq).run();
  set_meta(db_, "last_acked", collector_committed);
  tx.commit();
  LOG_WARN("outbox", "the collector has committed up to seq "
                         << collector_committed << " but this outbox had assigned only up to "
                         << assigned << " (state lost or restored?): renumbered " << rows.size()
                         << " pending message(s) after " << collector_committed);
  return true;
}

std::vector<v1::AgentMessage> Outbox::pending_after(uint64_t after, size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<v1::AgentMessage> out;
  auto st = db_.prepare("SELECT payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, after).bind(2, static_cast<int64_t>(limit));
  while (st.step()) {
    v1::AgentMessage m;
    if (m.ParseFromString(st.column_text(0))) out.push_back(std::move(m));
  }
  return out;
}

size_t Outbox::depth() {
  std::lock_guard lock(mu_);
  auto st = db_.prepare("SELECT count(*) FROM outbox");
  st.step();
  return static_cast<size_t>(st.column_int(0));
}

uint64_t Outbox::dropped() {
  std::lock_guard lock(mu_);
  return meta_value(db_, "dropped");
}

uint64_t Outbox::last_acked() {
  std::lock_guard lock(mu_);
  return meta_value(db_, "last_acked");
}

uint64_t Outbox::next_seq() {
  std::lock_guard lock(mu_);
  auto st = db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'");
  return (st.step() ? static_cast<uint64_t>(st.column_int(0)) : 0) + 1;
}

}  // namespace warden::agent
