#include "collector/ingestor.hpp"

#include <algorithm>
#include <map>

#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/log.hpp"

namespace warden::collector {

struct Ingestor::Pending {
  std::map<int64_t, uint64_t> seq;  // host -> highest seq applied in this batch
  std::map<std::pair<int64_t, std::string>, ResultState> results;  // tentative result changes
  IngestStats stats;
};

namespace {
const std::string kEmptyObject = "{}";

size_t content_hash(std::string_view status, std::string_view severity, std::string_view summary,
                    std::string_view evidence) {
  size_t h = std::hash<std::string_view>{}(status);
  for (auto part : {severity, summary, evidence})
    h ^= std::hash<std::string_view>{}(part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}
}  // namespace

Ingestor::Ingestor(const std::string& db_path, IngestOptions options)
    : options_(options),
      db_(db_path),
      insert_report_(db_.prepare(
          "INSERT INTO reports (host_id, seq, sweep_id, started_at, finished_at, received_at, "
          "findings_count, failing_count, policy_version) VALUES (?,?,?,?,?,?,?,?,?)")),
      insert_event_(db_.prepare("INSERT INTO events (host_id, seq, kind, at, received_at, "
                                "data_json) VALUES (?,?,?,?,?,?)")),
      upsert_result_(db_.prepare(
          "INSERT INTO latest_results (host_id, check_id, status, severity, summary, "
          "evidence_json, "
          "since, updated_at, sweep_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?7,?8) "
          "ON CONFLICT (host_id, check_id) DO UPDATE SET status = excluded.status, "
          "severity = excluded.severity, summary = excluded.summary, "
          "evidence_json = excluded.evidence_json, updated_at = excluded.updated_at, "
          "sweep_id = excluded.sweep_id, since = CASE WHEN latest_results.status = excluded.status "
          "THEN latest_results.since ELSE excluded.since END")),
      insert_history_(db_.prepare(
          "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, sweep_id, "
          "summary, severity, evidence_json) VALUES (?,?,?,?,?,?,?,?,?)")),
      update_host_report_(
          db_.prepare("UPDATE hosts SET facts_json = ?, last_report_at = ? WHERE id = ?")),
      update_host_seq_(db_.prepare("UPDATE hosts SET last_seq = ?, last_seen = ? WHERE id = ?")),
      mark_sweep_answered_(
          db_.prepare("UPDATE sweep_targets SET answered_at = ? WHERE sweep_id = ? AND host_id = ? "
                      "AND answered_at IS NULL")),
      savepoint_(db_.prepare("SAVEPOINT item")),
      release_(db_.prepare("RELEASE item")),
      rollback_to_(db_.prepare("ROLLBACK TO item")),
      central_(db_),
      thread_([this] { run(); }) {}

Ingestor::~Ingestor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Ingestor::submit(IngestItem item) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
}

size_t Ingestor::queue_depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

IngestStats Ingestor::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

uint64_t Ingestor::committed_seq(int64_t host_id) {
  auto it = committed_seq_.find(host_id);
  if (it != committed_seq_.end()) return it->second;
  auto st = db_.prepare("SELECT last_seq FROM hosts WHERE id = ?");
  st.bind(1, host_id);
  uint64_t seq = st.step() ? static_cast<uint64_t>(st.column_int(0)) : 0;
  committed_seq_[host_id] = seq;
  return seq;
}

std::unordered_map<std::string, Ingestor::ResultState>& Ingestor::results(int64_t host_id) {
  auto it = result_cache_.find(host_id);
  if (it != result_cache_.end()) return it->second;
  auto& m = result_cache_[host_id];
  auto st = db_.prepare(
      "SELECT check_id, status, severity, summary, evidence_json FROM latest_results WHERE host_id "
      "= ?");
  st.bind(1, host_id);
  while (st.step())
    m[st.column_text(0)] = {st.column_text(1), content_hash(st.column_text(1), st.column_text(2),
                                                            st.column_text(3), st.column_text(4))};
  return m;
}

void Ingestor::run() {
  std::chrono::milliseconds backoff{100};
  while (true) {
    std::deque<IngestItem> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      // Let a burst accumulate so that one commit carries many agents' messages.
      if (queue_.size() < options_.max_batch_messages && !stopping_)
        cv_.wait_for(lock, options_.linger,
                     [&] { return stopping_ || queue_.size() >= options_.max_batch_messages; });
      size_t findings = 0;
      while (!queue_.empty() && batch.size() < options_.max_batch_messages &&
             findings < options_.max_batch_findings) {
        const auto& m = *queue_.front().message;
        findings += m.has_report() ? static_cast<size_t>(m.report().findings_size()) : 1;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    while (true) {
      Pending pending;
      try {
        apply_batch(batch, pending);
        backoff = std::chrono::milliseconds(100);
        break;
      } catch (const sqlite::Error& e) {
        // Rolled back: forget tentative state; committed caches stay valid.
        {
          std::lock_guard lock(stats_mu_);
          ++stats_.retries;
        }
        LOG_WARN("ingest", "batch of " << batch.size() << " messages not committed (" << e.what()
                                       << "); not acknowledging, retrying in " << backoff.count()
                                       << " ms");
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
      }
    }
  }
}

void Ingestor::apply_batch(std::deque<IngestItem>& batch, Pending& pending) {
  {
    sqlite::Transaction tx(db_);
    for (auto& item : batch) {
      // A savepoint per message: one bad message (say, a constraint violation) is recorded as
      // rejected instead of blocking the whole batch forever.
      savepoint_.run();
      try {
        apply_item(item, pending);
        release_.run();
      } catch (const sqlite::Error& e) {
        rollback_to_.reset();
        rollback_to_.run();
        release_.reset();
        release_.run();
        if (e.transient()) throw;
        item.rejected_reason = std::string("database refused the message: ") + e.what();
        apply_item(item, pending);
      }
    }
    int64_t now = now_ms();
    for (auto& [host, seq] : pending.seq) {
      update_host_seq_.bind(1, seq).bind(2, now).bind(3, host);
      update_host_seq_.run();
    }
    tx.commit();
  }
  // Committed: publish state, then acknowledge.
  for (auto& [host, seq] : pending.seq) committed_seq_[host] = seq;
  for (auto& [key, state] : pending.results) result_cache_[key.first][key.second] = state;
  {
    std::lock_guard lock(stats_mu_);
    stats_.messages += pending.stats.messages;
    stats_.findings += pending.stats.findings;
    stats_.duplicates += pending.stats.duplicates;
    stats_.rejected += pending.stats.rejected;
    stats_.batches += 1;
  }
  for (auto& item : batch)
    if (item.on_commit) item.on_commit(committed_seq(item.host_id));
}

void Ingestor::apply_item(IngestItem& item, Pending& pending) {
  const auto& msg = *item.message;
  uint64_t base =
      pending.seq.count(item.host_id) ? pending.seq[item.host_id] : committed_seq(item.host_id);
  if (msg.seq() <= base) {
    ++pending.stats.duplicates;
    return;
  }
  int64_t at = item.received_ms;
  if (!item.rejected_reason.empty()) {
    nlohmann::json data = {{"reason", item.rejected_reason}, {"seq", msg.seq()}};
    insert_event_.bind(1, item.host_id)
        .bind(2, msg.seq())
        .bind(3, "warden.rejected")
        .bind(4, at)
        .bind(5, at)
        .bind(6, data.dump());
    insert_event_.run();
    ++pending.stats.rejected;
  } else if (msg.has_report()) {
    const auto& r = msg.report();
    int failing = 0;
    for (const auto& f : r.findings()) failing += f.status() == v1::STATUS_FAIL;
    insert_report_.bind(1, item.host_id).bind(2, msg.seq());
    if (r.sweep_id())
      insert_report_.bind(3, r.sweep_id());
    else
      insert_report_.bind_null(3);
    insert_report_.bind(4, r.started_at_ms())
        .bind(5, r.finished_at_ms())
        .bind(6, at)
        .bind(7, r.findings_size())
        .bind(8, failing)
        .bind(9, r.policy_version());
    insert_report_.run();
    apply_findings(item.host_id, r.findings(), r.sweep_id(), at, pending);
    auto facts = nlohmann::json::parse(r.facts_json(), nullptr, false);
    apply_central(item.host_id, central_.on_report(item.host_id, item.peer, facts, at),
                  r.sweep_id(), at, pending);
    update_host_report_.bind(1, r.facts_json().empty() ? std::string("{}") : r.facts_json())
        .bind(2, at)
        .bind(3, item.host_id);
    update_host_report_.run();
    if (r.sweep_id()) {
      mark_sweep_answered_.bind(1, at).bind(2, r.sweep_id()).bind(3, item.host_id);
      mark_sweep_answered_.run();
    }
  } else if (msg.has_event()) {
    const auto& e = msg.event();
    insert_event_.bind(1, item.host_id)
        .bind(2, msg.seq())
        .bind(3, e.kind())
        .bind(4, e.at_ms())
        .bind(5, at)
        .bind(6, e.data_json().empty() ? std::string("{}") : e.data_json());
    insert_event_.run();
    apply_findings(item.host_id, e.findings(), 0, at, pending);
    auto data = nlohmann::json::parse(e.data_json(), nullptr, false);
    apply_central(item.host_id, central_.on_event(item.host_id, item.peer, e.kind(), data, at), 0,
                  at, pending);
  }
  pending.seq[item.host_id] = msg.seq();
  ++pending.stats.messages;
}

void Ingestor::apply_central(int64_t host_id, const std::vector<Finding>& findings,
                             uint64_t sweep_id, int64_t at, Pending& pending) {
  if (findings.empty()) return;
  google::protobuf::RepeatedPtrField<v1::Finding> wire;
  for (const auto& f : findings) to_proto(f, wire.Add());
  apply_findings(host_id, wire, sweep_id, at, pending);
}

void Ingestor::apply_findings(int64_t host_id,
                              const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                              uint64_t sweep_id, int64_t at, Pending& pending) {
  auto& committed = results(host_id);
  for (const auto& f : findings) {
    std::string status(to_string(from_proto(f.status())));
    std::string severity(to_string(from_proto(f.severity())));
    const std::string& evidence = f.evidence_json().empty() ? kEmptyObject : f.evidence_json();
    size_t content = content_hash(status, severity, f.summary(), evidence);
    auto key = std::make_pair(host_id, f.check());
    const ResultState* previous = nullptr;
    if (auto p = pending.results.find(key); p != pending.results.end()) {
      previous = &p->second;
    } else if (auto c = committed.find(f.check()); c != committed.end()) {
      previous = &c->second;
    }
    if (previous && previous->content == content) {  // reported again, unchanged: nothing to write
      ++pending.stats.findings;
      continue;
    }
    upsert_result_.bind(1, host_id)
        .bind(2, f.check())
        .bind(3, status)
        .bind(4, severity)
        .bind(5, f.summary())
        .bind(6, evidence)
        .bind(7, at);
    if (sweep_id)
      upsert_result_.bind(8, sweep_id);
    else
      upsert_result_.bind_null(8);
    upsert_result_.run();
    if (!previous || previous->status != status) {
      insert_history_.bind(1, host_id).bind(2, f.check());
      if (previous)
        insert_history_.bind(3, previous->status);
      else
        insert_history_.bind_null(3);
      insert_history_.bind(4, status).bind(5, at);
      if (sweep_id)
        insert_history_.bind(6, sweep_id);
      else
        insert_history_.bind_null(6);
      insert_history_.bind(7, f.summary()).bind(8, severity);
      insert_history_.bind(9, evidence);
      insert_history_.run();
    }
    pending.results[key] = {status, content};
    ++pending.stats.findings;
  }
}

}  // namespace warden::collector
