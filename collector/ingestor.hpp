// The single write path for agent reports and events.
//
// Sessions submit validated messages; one writer thread batches many agents' messages into one
// SQLite transaction (WAL), commits, and only then calls each message's on_commit with the
// agent's highest committed sequence number, which the session turns into an Ack. Duplicates
// (seq <= the host's committed seq) are not applied again but are acknowledged again. On a
// transient database error (disk full, locked) the batch is rolled back and retried with backoff:
// nothing is acknowledged that is not committed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "collector/central/central_evaluator.hpp"
#include "collector/storage/database.hpp"
#include "common/clock.hpp"
#include "common/time_zone.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::collector {

struct IngestItem {
  int64_t host_id = 0;
  std::shared_ptr<const v1::AgentMessage> message;  // a report or an event
  std::string rejected_reason;  // non-empty: store a `warden.rejected` event instead of the body
  int64_t received_ms = 0;
  std::string peer;  // the address the agent connects from
  // What the central checks need from the report's facts or the event's data, taken out on the
  // session's thread; the ingest thread parses the JSON itself only when this is unset.
  std::optional<CentralInputs> central;
  std::function<void(uint64_t committed_seq)> on_commit;
  bool skip = false;  // the database refused even its rejection: commit its seq, store nothing
};

struct IngestOptions {
  size_t max_batch_messages = 2000;
  size_t max_batch_findings = 50000;
  std::chrono::milliseconds linger{2};  // wait this long for more messages to share a commit
  // The zone report_days counts local days in (Store::count_report_days_in sets the same).
  TimeZone time_zone = TimeZone::utc();
};

struct IngestStats {
  uint64_t messages = 0;
  uint64_t findings = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  uint64_t batches = 0;
  uint64_t retries = 0;
};

class Ingestor {
 public:
  Ingestor(const storage::Location& database, IngestOptions options = {},
           const Clock& clock = system_clock());
  ~Ingestor();  // drains what is queued, then stops
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  void submit(IngestItem item);
  // The agent of this host has just started a session: read what is stored about it again before
  // its next message, since another collector may have served it in between (several
  // collectors on one database). Cheap: one query per host on its next message.
  void forget(int64_t host_id);
  size_t queue_depth() const;
  IngestStats stats() const;

 private:
  const Clock& clock_;
  struct Pending;  // per-batch scratch state
  void run();
  void apply_batch(std::deque<IngestItem>& batch, Pending& pending);
  void apply_item(IngestItem& item, Pending& pending);
  void apply_findings(int64_t host_id,
                      const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                      uint64_t sweep_id, int64_t at, Pending& pending);
  void apply_facts(int64_t host_id, const std::string& facts, int64_t at, Pending& pending);
  size_t facts_hash(int64_t host_id);  // of the stored facts; 0 when there are none
  // hosts.failing_checks as it stands with this batch applied.
  std::string failing_checks(int64_t host_id, const Pending& pending);
  void apply_central(int64_t host_id, const std::vector<Finding>& findings, uint64_t sweep_id,
                     int64_t at, Pending& pending);
  uint64_t committed_seq(int64_t host_id);
  // Runs an INSERT ... ON CONFLICT DO NOTHING RETURNING: true if it stored a row.
  static bool inserted(storage::Statement& insert);
  void duplicate(const IngestItem& item, Pending& pending);
  // What is stored for one (host, check): its status and a hash of its whole content, so a result
  // reported again unchanged (most of them, sweep after sweep) costs no write at all.
  struct ResultState {
    std::string status;
    size_t content = 0;
  };
  std::unordered_map<std::string, ResultState>& results(int64_t host_id);

  IngestOptions options_;
  std::unique_ptr<storage::Connection> db_;
  storage::Statement insert_report_, insert_event_, upsert_result_, insert_history_, upsert_facts_,
      update_host_, add_day_, add_count_, mark_sweep_answered_;
  CentralEvaluator central_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<IngestItem> queue_;
  std::vector<int64_t> forget_;  // hosts to read again (under mu_)
  bool stopping_ = false;

  // Owned by the writer thread: committed state, so batches need not read it back.
  std::unordered_map<int64_t, uint64_t> committed_seq_;
  std::unordered_map<int64_t, std::unordered_map<std::string, ResultState>> result_cache_;
  std::unordered_map<int64_t, size_t> facts_cache_;  // host -> hash of its stored facts
  static constexpr size_t kTrimAfterMessages = 1000;
  size_t messages_since_trim_ = 0;

  mutable std::mutex stats_mu_;
  IngestStats stats_;
  std::thread thread_;
};

}  // namespace warden::collector
