// How time reaches a component. Code that decides by the time (token expiry, sweep windows,
// retention, schedules, renewal) takes a Clock& instead of calling now_ms() itself, so that a test
// moves time with a TestClock instead of sleeping for it. Production passes system_clock().
// Timestamps are Unix milliseconds, UTC, as everywhere else (common/duration.hpp).
#pragma once

#include <atomic>
#include <cstdint>

namespace warden {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
};

// The real time (std::chrono::system_clock).
Clock& system_clock();

// Time that moves only when told to: starts at `start_ms`, thread-safe.
class TestClock : public Clock {
 public:
  explicit TestClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace warden
