// Reconnect delays: capped exponential backoff with jitter. The n-th delay is drawn uniformly
// from [c/10, c] with c = min(cap, base * 2^n), so thousands of agents do not reconnect in step
// and none retries in a tight loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace warden::agent {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, uint64_t seed);
  std::chrono::milliseconds next();
  void reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }
  // The upper bound the next delay is drawn from.
  std::chrono::milliseconds ceiling() const;

 private:
  std::chrono::milliseconds base_, cap_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace warden::agent
