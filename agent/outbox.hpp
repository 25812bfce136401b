// The agent's durable outbox (SQLite): every report and event is written here first, with the
// next sequence number, and deleted only when the collector acknowledges it as committed. After
// a restart, whatever is still here is sent again; the collector drops duplicates by sequence.
//
// The outbox is bounded. When full, the oldest messages that carry no failing finding are dropped
// first; messages with violations are dropped last. Drops are counted and reported in heartbeats.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/sqlite.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::agent {

struct OutboxLimits {
  size_t max_messages = 20000;
  size_t max_bytes = 64u << 20;
};

class Outbox {
 public:
  explicit Outbox(const std::string& path, OutboxLimits limits = {});

  // Assigns the next sequence number, stores the message, returns the seq.
  uint64_t append(v1::AgentMessage msg);
  // The collector committed everything <= seq.
  void acknowledge(uint64_t seq);
  // Called with the collector's high-water mark at the start of each session. If the collector
  // has committed sequence numbers this outbox never assigned (the agent's state was lost or
  // restored from an older copy), pending messages are renumbered after that mark, and numbering
  // continues from there, so nothing new is mistaken for a duplicate. Returns true if it did so.
  bool resync(uint64_t collector_committed);
  // Up to `limit` messages with seq > after, oldest first.
  std::vector<v1::AgentMessage> pending_after(uint64_t after, size_t limit);

  size_t depth();
  uint64_t dropped();
  uint64_t last_acked();
  uint64_t next_seq();

 private:
  void enforce_limits();
  std::mutex mu_;
  sqlite::Connection db_;
  OutboxLimits limits_;
};

}  // namespace warden::agent
