#include "collector/agent_rate_limit.hpp"

#include <catch2/catch.hpp>

using namespace warden::collector;
using namespace std::chrono_literals;

TEST_CASE("the per-agent token bucket allows a burst, then the sustained rate, per host") {
  AgentRateLimiter limiter({/*messages_per_second=*/10, /*burst_messages=*/20,
                            /*bytes_per_second=*/1000, /*burst_bytes=*/100000});
  auto t0 = AgentRateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 20; ++i) CHECK(limiter.admit(1, 10, t0).empty());
  auto over = limiter.admit(1, 10, t0);
  CHECK(over.find("rate limit: more than 20 messages at once or 10/s") == 0);
  CHECK(limiter.admit(2, 10, t0).empty());  // another host has its own bucket

  // Refills at 10/s: after 0.5 s, five more.
  for (int i = 0; i < 5; ++i) CHECK(limiter.admit(1, 10, t0 + 500ms).empty());
  CHECK_FALSE(limiter.admit(1, 10, t0 + 500ms).empty());
  // Never more than the burst, however long the host was quiet.
  int allowed = 0;
  while (limiter.admit(1, 10, t0 + 1h).empty()) ++allowed;
  CHECK(allowed == 20);
}

TEST_CASE("the byte bucket limits big messages") {
  AgentRateLimiter limiter({1000, 1000, /*bytes_per_second=*/1000, /*burst_bytes=*/5000});
  auto t0 = AgentRateLimiter::Clock::time_point{} + 1h;
  CHECK(limiter.admit(1, 4000, t0).empty());
  CHECK(limiter.admit(1, 4000, t0).find("bytes/s") != std::string::npos);
  CHECK(limiter.admit(1, 4000, t0 + 3s).empty());
}
