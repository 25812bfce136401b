#include "collector/ingestor.hpp"

#include <malloc.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/json_text.hpp"
#include "common/log.hpp"

namespace warden::collector {

struct Ingestor::Pending {
  struct DayTally {
    int64_t reports = 0, findings = 0, failing = 0;
  };
  struct CountChange {
    std::string check, status;
    int delta;
  };
  struct Host {
    uint64_t seq = 0;                  // highest seq applied in this batch
    int64_t last_report_at = 0;        // 0: no report in this batch
    bool failing_changed = false;      // a check started or stopped failing
    std::vector<CountChange> counts;   // for result_counts, if the host is not revoked
    std::map<int64_t, DayTally> days;  // local day -> its reports, for report_days
  };
  std::map<int64_t, Host> hosts;
  std::map<int64_t, size_t> facts;  // host -> hash of the facts written in this batch
  std::map<std::pair<int64_t, std::string>, ResultState> results;  // tentative result changes
  IngestStats stats;
};

namespace {
const std::string kEmptyObject = "{}";

// A message the database refused for good (not a transient error): the batch is rolled back
// and applied again without it.
struct RefusedMessage : std::runtime_error {
  RefusedMessage(IngestItem* item, const std::string& why) : std::runtime_error(why), item(item) {}
  IngestItem* item;
};

size_t content_hash(std::string_view status, std::string_view severity, std::string_view summary,
                    std::string_view summary_key, std::string_view evidence) {
  size_t h = std::hash<std::string_view>{}(status);
  for (auto part : {severity, summary, summary_key, evidence})
    h ^= std::hash<std::string_view>{}(part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}
}  // namespace

Ingestor::Ingestor(const storage::Location& database, IngestOptions options, const Clock& clock)
    : clock_(clock),
      options_(options),
      db_(storage::connect(database)),
      insert_report_(db_->prepare(
          "INSERT INTO reports (host_id, seq, sweep_id, started_at, finished_at, received_at, "
          "findings_count, failing_count, policy_version) VALUES (?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT (host_id, seq) DO NOTHING RETURNING id")),
      insert_event_(db_->prepare("INSERT INTO events (host_id, seq, kind, at, received_at, "
                                 "data_json) VALUES (?,?,?,?,?,?) "
                                 "ON CONFLICT (host_id, seq) DO NOTHING RETURNING id")),
      upsert_result_(db_->prepare(
          "INSERT INTO latest_results (host_id, check_id, status, severity, summary, "
          "evidence_json, since, updated_at, sweep_id, summary_key) "
          "VALUES (?1,?2,?3,?4,?5,?6,?7,?7,?8,?9) "
          "ON CONFLICT (host_id, check_id) DO UPDATE SET status = excluded.status, "
          "severity = excluded.severity, summary = excluded.summary, "
          "summary_key = excluded.summary_key, "
          "evidence_json = excluded.evidence_json, updated_at = excluded.updated_at, "
          "sweep_id = excluded.sweep_id, since = CASE WHEN latest_results.status = excluded.status "
          "THEN latest_results.since ELSE excluded.since END")),
      insert_history_(db_->prepare(
          "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, sweep_id, "
          "summary, severity, evidence_json, summary_key) VALUES (?,?,?,?,?,?,?,?,?,?)")),
      upsert_facts_(db_->prepare(
          "INSERT INTO host_facts (host_id, facts_json, reported_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (host_id) DO UPDATE SET facts_json = ?2, reported_at = ?3")),
      update_host_(db_->prepare(
          "UPDATE hosts SET last_seq = CASE WHEN last_seq < ?1 THEN ?1 ELSE last_seq END, "
          "last_seen = ?2, last_report_at = coalesce(?3, "
          "last_report_at), failing_checks = coalesce(?4, failing_checks) WHERE id = ?5 "
          "RETURNING revoked, department")),
      add_day_(db_->prepare(
          "INSERT INTO report_days (day, department, reports, findings, failing) VALUES "
          "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (day, department) DO UPDATE SET reports = "
          "report_days.reports + ?3, findings = report_days.findings + ?4, failing = "
          "report_days.failing + ?5")),
      add_count_(db_->prepare(
          "INSERT INTO result_counts (department, check_id, status, hosts) VALUES (?1, ?2, ?3, "
          "?4) ON CONFLICT (department, check_id, status) DO UPDATE SET hosts = "
          "result_counts.hosts + ?4")),
      mark_sweep_answered_(db_->prepare(
          "UPDATE sweep_targets SET answered_at = ? WHERE sweep_id = ? AND host_id = ? "
          "AND answered_at IS NULL")),
      central_(*db_),
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
  auto st = db_->prepare("SELECT last_seq FROM hosts WHERE id = ?");
  st.bind(1, host_id);
  uint64_t seq = st.step() ? static_cast<uint64_t>(st.column_int(0)) : 0;
  committed_seq_[host_id] = seq;
  return seq;
}

std::unordered_map<std::string, Ingestor::ResultState>& Ingestor::results(int64_t host_id) {
  auto it = result_cache_.find(host_id);
  if (it != result_cache_.end()) return it->second;
  auto& m = result_cache_[host_id];
  auto st = db_->prepare(
      "SELECT check_id, status, severity, summary, evidence_json, summary_key FROM latest_results "
      "WHERE host_id = ?");
  st.bind(1, host_id);
  while (st.step())
    m[st.column_text(0)] = {st.column_text(1),
                            content_hash(st.column_text(1), st.column_text(2), st.column_text(3),
                                         st.column_text(5), st.column_text(4))};
  return m;
}

void Ingestor::run() {
  std::chrono::milliseconds backoff{100};
  std::vector<int64_t> forgotten;
  while (true) {
    std::deque<IngestItem> batch;
    {
      std::unique_lock lock(mu_);
      if (queue_.empty() && messages_since_trim_ >= kTrimAfterMessages) {
        // A burst is over (a sweep's answers, agents resending after an outage): hand the heap
        // its messages used back to the system instead of keeping it as the process's RSS.
        lock.unlock();
        malloc_trim(0);
        messages_since_trim_ = 0;
        lock.lock();
      }
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
      forgotten.swap(forget_);
    }
    // Hosts whose agents said hello since the last batch: what this collector remembers of them
    // may be stale (another collector served them meanwhile), so it is read again.
    for (int64_t host : forgotten) {
      committed_seq_.erase(host);
      result_cache_.erase(host);
      facts_cache_.erase(host);
    }
    forgotten.clear();
    while (true) {
      Pending pending;
      try {
        apply_batch(batch, pending);
        backoff = std::chrono::milliseconds(100);
        break;
      } catch (const RefusedMessage& refused) {
        // Rolled back. The batch is applied again at once, with that message stored as a
        // `warden.rejected` event instead; one the database refuses even so is skipped (its
        // sequence number is still committed, so the agent does not send it forever).
        auto& item = *refused.item;
        LOG_WARN("ingest", "host " << item.host_id << " seq " << item.message->seq()
                                   << ": the database refused the message (" << refused.what()
                                   << ")" << (item.rejected_reason.empty() ? "" : "; skipped"));
        if (item.rejected_reason.empty())
          item.rejected_reason = std::string("database refused the message: ") + refused.what();
        else
          item.skip = true;
      } catch (...) {
        // storage::Error (busy, full, read-only) or anything else: rolled back; forget tentative
        // state, committed caches stay valid. Nothing is acknowledged, so nothing is lost: the
        // batch is tried again, and the agents keep their messages until it commits.
        std::string why = "unknown failure";
        try {
          throw;
        } catch (const std::exception& e) {
          why = e.what();
        } catch (...) {
        }
        {
          std::lock_guard lock(stats_mu_);
          ++stats_.retries;
        }
        LOG_WARN("ingest", "batch of " << batch.size() << " messages not committed (" << why
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
    storage::Transaction tx(*db_);
    for (auto& item : batch) {
      try {
        apply_item(item, pending);
      } catch (const storage::Error& e) {
        // One bad message (a constraint violation, say) must not block the batch forever.
        if (e.transient()) throw;
        throw RefusedMessage(&item, e.what());
      }
    }
    int64_t now = clock_.now_ms();
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> counts;
    std::map<std::pair<int64_t, std::string>, Pending::DayTally> days;
    for (auto& [host, h] : pending.hosts) {  // one row update per host and batch
      update_host_.bind(1, h.seq).bind(2, now);
      if (h.last_report_at)
        update_host_.bind(3, h.last_report_at);
      else
        update_host_.bind_null(3);
      if (h.failing_changed)
        update_host_.bind(4, failing_checks(host, pending));
      else
        update_host_.bind_null(4);
      update_host_.bind(5, host);
      // Revocation and moves between departments commit in their own transactions, before or
      // after this one: the counts go to the department the host is in now, none while it is
      // revoked, and the triggers on hosts move what was counted before.
      if (!update_host_.step()) {  // no such host: nothing to count
        update_host_.reset();
        continue;
      }
      bool revoked = update_host_.column_int(0) != 0;
      std::string department = update_host_.column_text(1);
      update_host_.reset();
      if (!revoked)
        for (auto& c : h.counts)
          counts[{department, std::move(c.check), std::move(c.status)}] += c.delta;
      for (const auto& [day, t] : h.days) {
        auto& d = days[{day, department}];
        d.reports += t.reports;
        d.findings += t.findings;
        d.failing += t.failing;
      }
    }
    for (const auto& [key, t] : days) {
      add_day_.bind(1, key.first).bind(2, key.second).bind(3, t.reports);
      add_day_.bind(4, t.findings).bind(5, t.failing);
      add_day_.run();
    }
    for (const auto& [key, delta] : counts) {
      if (delta == 0) continue;
      add_count_.bind(1, std::get<0>(key)).bind(2, std::get<1>(key)).bind(3, std::get<2>(key));
      add_count_.bind(4, delta);
      add_count_.run();
    }
    tx.commit();
  }
  // Committed: publish state, then acknowledge.
  for (auto& [host, h] : pending.hosts) committed_seq_[host] = h.seq;
  for (auto& [key, state] : pending.results) result_cache_[key.first][key.second] = state;
  for (auto& [host, hash] : pending.facts) facts_cache_[host] = hash;
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
  messages_since_trim_ += batch.size();
}

void Ingestor::apply_item(IngestItem& item, Pending& pending) {
  const auto& msg = *item.message;
  auto in_batch = pending.hosts.find(item.host_id);
  uint64_t base =
      in_batch != pending.hosts.end() ? in_batch->second.seq : committed_seq(item.host_id);
  if (msg.seq() <= base) {
    ++pending.stats.duplicates;
    return;
  }
  int64_t at = item.received_ms;
  if (item.skip) {
    ++pending.stats.rejected;
  } else if (!item.rejected_reason.empty()) {
    nlohmann::json data = {{"reason", item.rejected_reason}, {"seq", msg.seq()}};
    insert_event_.bind(1, item.host_id)
        .bind(2, msg.seq())
        .bind(3, "warden.rejected")
        .bind(4, at)
        .bind(5, at)
        .bind(6, json_text(data));
    if (!inserted(insert_event_)) return duplicate(item, pending);
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
    if (!inserted(insert_report_)) return duplicate(item, pending);
    apply_findings(item.host_id, r.findings(), r.sweep_id(), at, pending);
    if (!item.central)
      item.central =
          central_inputs_from_report(nlohmann::json::parse(r.facts_json(), nullptr, false));
    apply_central(item.host_id, central_.on_report(item.host_id, item.peer, *item.central, at),
                  r.sweep_id(), at, pending);
    apply_facts(item.host_id, r.facts_json().empty() ? kEmptyObject : r.facts_json(), at, pending);
    auto& h = pending.hosts[item.host_id];
    h.last_report_at = at;
    auto& day = h.days[options_.time_zone.day_number(at)];
    ++day.reports;
    day.findings += r.findings_size();
    day.failing += failing;
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
    if (!inserted(insert_event_)) return duplicate(item, pending);
    apply_findings(item.host_id, e.findings(), 0, at, pending);
    if (!item.central)
      item.central =
          central_inputs_from_event(e.kind(), nlohmann::json::parse(e.data_json(), nullptr, false));
    apply_central(item.host_id, central_.on_event(item.host_id, item.peer, *item.central, at), 0,
                  at, pending);
  }
  pending.hosts[item.host_id].seq = msg.seq();
  ++pending.stats.messages;
}

bool Ingestor::inserted(storage::Statement& insert) {
  bool row = insert.step();
  insert.reset();
  return row;
}

void Ingestor::duplicate(const IngestItem& item, Pending& pending) {
  // Another collector committed this (host, seq) first: the agent moved mid-outbox, and sent
  // again what the first collector had committed but not yet acknowledged. Nothing is stored
  // twice; the sequence number still counts as committed, so the agent drops it.
  ++pending.stats.duplicates;
  auto& h = pending.hosts[item.host_id];
  h.seq = std::max(h.seq, item.message->seq());
}

void Ingestor::forget(int64_t host_id) {
  std::lock_guard lock(mu_);
  forget_.push_back(host_id);
}

std::string Ingestor::failing_checks(int64_t host_id, const Pending& pending) {
  std::vector<std::string_view> failing;
  const auto& committed = results(host_id);
  for (const auto& [check, state] : committed) {
    auto p = pending.results.find({host_id, check});
    if ((p != pending.results.end() ? p->second.status : state.status) == "fail")
      failing.push_back(check);
  }
  for (auto p = pending.results.lower_bound({host_id, std::string()});
       p != pending.results.end() && p->first.first == host_id; ++p)
    if (p->second.status == "fail" && !committed.count(p->first.second))
      failing.push_back(p->first.second);
  std::sort(failing.begin(), failing.end());
  std::string out;
  for (auto check : failing) {
    if (!out.empty()) out += ',';
    out += check;
  }
  return out;
}

void Ingestor::apply_facts(int64_t host_id, const std::string& facts, int64_t at,
                           Pending& pending) {
  size_t hash = std::hash<std::string_view>{}(facts);
  auto p = pending.facts.find(host_id);
  if (p != pending.facts.end() ? p->second == hash : facts_hash(host_id) == hash) return;
  upsert_facts_.bind(1, host_id).bind(2, facts).bind(3, at);
  upsert_facts_.run();
  pending.facts[host_id] = hash;
}

size_t Ingestor::facts_hash(int64_t host_id) {
  auto it = facts_cache_.find(host_id);
  if (it != facts_cache_.end()) return it->second;
  auto st = db_->prepare("SELECT facts_json FROM host_facts WHERE host_id = ?");
  st.bind(1, host_id);
  size_t hash = st.step() ? std::hash<std::string_view>{}(st.column_text(0)) : 0;
  return facts_cache_[host_id] = hash;
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
    size_t content = content_hash(status, severity, f.summary(), f.summary_key(), evidence);
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
        .bind(7, at)
        .bind(9, f.summary_key());
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
      insert_history_.bind(9, evidence).bind(10, f.summary_key());
      insert_history_.run();
    }
    if (!previous || previous->status != status) {
      auto& h = pending.hosts[host_id];
      if (previous) h.counts.push_back({f.check(), previous->status, -1});
      h.counts.push_back({f.check(), status, +1});
      h.failing_changed |= (previous && previous->status == "fail") != (status == "fail");
    }
    pending.results[key] = {status, content};
    ++pending.stats.findings;
  }
}

}  // namespace warden::collector
