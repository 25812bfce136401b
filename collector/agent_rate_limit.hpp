// Per-agent rate limit on durable messages (reports, events): a token bucket per host, for
// messages and for bytes, kept across reconnects (so reconnecting does not refill it). An agent
// over its limit has its stream closed with RESOURCE_EXHAUSTED and a reason; what it sent past
// the limit is not acknowledged, so a well-behaved agent resends it after its backoff. The
// defaults are far above what an agent sends (a report per sweep, a few events) while bounding
// what one compromised or broken host can make the collector write.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace warden::collector {

struct RateLimits {
  double messages_per_second = 100;
  double burst_messages = 5000;
  double bytes_per_second = 4 << 20;
  double burst_bytes = 64 << 20;
};

class AgentRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit AgentRateLimiter(RateLimits limits = {}) : limits_(limits) {}

  // Takes one message of `bytes` from the host's buckets; empty if allowed, else the reason.
  std::string admit(int64_t host_id, size_t bytes, Clock::time_point now = Clock::now());

 private:
  struct Buckets {
    double messages;
    double bytes;
    Clock::time_point refilled;
  };
  RateLimits limits_;
  std::mutex mu_;
  std::unordered_map<int64_t, Buckets> hosts_;
};

}  // namespace warden::collector
