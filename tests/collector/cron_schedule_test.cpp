#include <catch2/catch.hpp>
#include <cstdlib>

#include "collector/schedule/cron_schedule.hpp"

using warden::collector::CronSchedule;

namespace {
std::time_t utc(int y, int mo, int d, int h, int mi) {
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  return timegm(&t);
}
struct UtcZone {
  UtcZone() { setenv("TZ", "UTC", 1), tzset(); }
};
}  // namespace

TEST_CASE("cron expressions find the next matching minute") {
  UtcZone z;
  // 2026-11-25 is a Wednesday.
  auto weekdays_9am = CronSchedule::parse("0 9 * * 1-5");
  CHECK(weekdays_9am.next_after(utc(2026, 11, 25, 8, 30)) == utc(2026, 11, 25, 9, 0));
  CHECK(weekdays_9am.next_after(utc(2026, 11, 25, 9, 0)) == utc(2026, 11, 26, 9, 0));
  CHECK(weekdays_9am.next_after(utc(2026, 11, 27, 10, 0)) ==
        utc(2026, 11, 30, 9, 0));  // Fri -> Mon
  auto quarter = CronSchedule::parse("*/15 * * * *");
  CHECK(quarter.next_after(utc(2026, 11, 25, 8, 31)) == utc(2026, 11, 25, 8, 45));
  auto monthly = CronSchedule::parse("30 2 1 * *");
  CHECK(monthly.next_after(utc(2026, 11, 25, 0, 0)) == utc(2026, 12, 1, 2, 30));
  auto sunday = CronSchedule::parse("0 0 * * 7");
  CHECK(sunday.next_after(utc(2026, 11, 25, 0, 0)) == utc(2026, 11, 29, 0, 0));
  // Both day fields restricted: either may match (cron(8) semantics).
  auto either = CronSchedule::parse("0 12 1 * 1");
  CHECK(either.next_after(utc(2026, 11, 25, 0, 0)) == utc(2026, 11, 30, 12, 0));
}

TEST_CASE("bad cron expressions say which field is wrong") {
  CHECK_THROWS_WITH(CronSchedule::parse("0 9 * *"), Catch::Contains("5 fields"));
  CHECK_THROWS_WITH(CronSchedule::parse("61 9 * * *"), Catch::Contains("minute"));
  CHECK_THROWS_WITH(CronSchedule::parse("0 24 * * *"), Catch::Contains("hour"));
  CHECK_THROWS_WITH(CronSchedule::parse("0 9 * 13 *"), Catch::Contains("month"));
  CHECK_THROWS_WITH(CronSchedule::parse("0 9 * * mon"), Catch::Contains("day-of-week"));
  CHECK_THROWS_WITH(CronSchedule::parse("*/0 9 * * *"), Catch::Contains("step"));
}

TEST_CASE("a huge cron step does not overflow (sanitizer regression)") {
  auto s = CronSchedule::parse("59/2147483647 * * * *");
  CHECK(s.next_after(utc(2026, 11, 25, 10, 0)) == utc(2026, 11, 25, 10, 59));
}
