// Local time for people: zones by IANA name (ICU), local days and midnights, civil dates.
#include <catch2/catch.hpp>

#include "common/time_zone.hpp"

using namespace warden;

namespace {
constexpr int64_t kHour = 3600000, kDay = 86400000;
// 2026-12-01T00:00:00Z
constexpr int64_t kDec1Utc = 20788 * kDay;
}  // namespace

TEST_CASE("civil dates parse strictly and count days") {
  CHECK(parse_civil_date("2026-12-03") == CivilDate{2026, 12, 3});
  CHECK(parse_civil_date("2024-02-29") == CivilDate{2024, 2, 29});
  for (const char* bad : {"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01",
                          "26-12-01", "2026/12/01", "2026-12-01T00:00", "", "1969-12-31"})
    CHECK_FALSE(parse_civil_date(bad));
  CHECK(day_number(CivilDate{1970, 1, 1}) == 0);
  CHECK(day_number(CivilDate{2026, 12, 1}) == 20788);
  CHECK(date_of_day_number(20788) == CivilDate{2026, 12, 1});
  CHECK(add_days(CivilDate{2026, 12, 31}, 1) == CivilDate{2027, 1, 1});
  CHECK(add_days(CivilDate{2024, 3, 1}, -1) == CivilDate{2024, 2, 29});
  CHECK(format_civil_date(CivilDate{2026, 1, 5}) == "2026-01-05");
  CHECK(days_in_month(2100, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
}

TEST_CASE("a zone is found by its IANA name, and an unknown name is a clear error") {
  auto sh = TimeZone::named("Asia/Shanghai");
  REQUIRE(sh);
  CHECK(sh->name() == "Asia/Shanghai");
  CHECK(sh->offset_ms(kDec1Utc) == 8 * kHour);
  auto bad = TimeZone::named("Mars/Olympus_Mons");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::invalid);
  CHECK(bad.error().message.find("Mars/Olympus_Mons") != std::string::npos);
  CHECK_FALSE(TimeZone::named(""));
  CHECK(TimeZone::utc().offset_ms(kDec1Utc) == 0);
}

TEST_CASE("Beijing days start at 16:00 UTC the day before") {
  auto sh = TimeZone::named("Asia/Shanghai").value();
  const CivilDate dec1{2026, 12, 1};
  CHECK(sh.start_of(dec1) == kDec1Utc - 8 * kHour);
  // 23:59 and 00:01 local around the month's turn.
  const int64_t before = sh.start_of(dec1) - 60000, after = sh.start_of(dec1) + 60000;
  CHECK(sh.date_at(before) == CivilDate{2026, 11, 30});
  CHECK(sh.date_at(after) == dec1);
  CHECK(sh.day_number(before) + 1 == sh.day_number(after));
  CHECK(sh.format(after) == "2026-12-01 00:01:00 +08:00");
  CHECK(sh.format_minutes(before) == "2026-11-30 23:59 +08:00");
  CHECK(sh.format(0).empty());
}

TEST_CASE("days in a zone with daylight saving time have 23 or 25 hours") {
  auto ny = TimeZone::named("America/New_York").value();
  // 2026-03-08: clocks go from 02:00 to 03:00 (EST -05:00 to EDT -04:00).
  const int64_t d8 = ny.start_of({2026, 3, 8}), d9 = ny.start_of({2026, 3, 9});
  CHECK(d9 - d8 == 23 * kHour);
  CHECK(ny.offset_text(d8) == "-05:00");
  CHECK(ny.offset_text(d9) == "-04:00");
  CHECK(ny.date_at(d9 - 1) == CivilDate{2026, 3, 8});
  // 2026-11-01: back from 02:00 to 01:00, a 25-hour day.
  CHECK(ny.start_of({2026, 11, 2}) - ny.start_of({2026, 11, 1}) == 25 * kHour);
}
