#include "common/clock.hpp"

#include "common/duration.hpp"

namespace warden {

namespace {
class SystemClock : public Clock {
 public:
  int64_t now_ms() const override { return warden::now_ms(); }
};
}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace warden
