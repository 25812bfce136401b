// Five-field cron expressions in policy documents (collector/schedule/cron_schedule.cpp).
// Invariants: parse throws std::invalid_argument or yields a schedule whose next run is a whole
// minute strictly after the given time that matches the schedule (or 0 for never).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>

#include "collector/schedule/cron_schedule.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using warden::collector::CronSchedule;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("TZ", "UTC", 1);  // deterministic, and localtime_r stays cheap
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) return 0;  // expressions are short; keeps next_after's search bounded
  std::string text(reinterpret_cast<const char*>(data), size);
  CronSchedule c;
  try {
    c = CronSchedule::parse(text);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::time_t after = 1795600000;  // 2026-11-25
  std::time_t next = c.next_after(after);
  if (next == 0) return 0;
  FUZZ_CHECK(next > after);
  FUZZ_CHECK(next % 60 == 0);
  FUZZ_CHECK(next - after <= std::time_t{5} * 366 * 24 * 3600 + 60);
  std::tm local{};
  localtime_r(&next, &local);
  FUZZ_CHECK(c.matches(local));
  return 0;
}
