#include <catch2/catch.hpp>

#include "common/duration.hpp"

using warden::parse_duration;

TEST_CASE("durations parse with units and reject junk") {
  CHECK(parse_duration("7d")->count() == 7 * 86400);
  CHECK(parse_duration("90s")->count() == 90);
  CHECK(parse_duration("15m")->count() == 900);
  CHECK(parse_duration("2h")->count() == 7200);
  CHECK(parse_duration("1w")->count() == 604800);
  CHECK(parse_duration("30")->count() == 30);
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("d"));
  CHECK_FALSE(parse_duration("-5d"));
  CHECK_FALSE(parse_duration("0d"));
  CHECK_FALSE(parse_duration("5y"));
  CHECK_FALSE(parse_duration("5 d"));
  CHECK_FALSE(parse_duration("99999999999999999999d"));
  CHECK(warden::parse_duration_ms("250ms")->count() == 250);
  CHECK(warden::parse_duration_ms("2s")->count() == 2000);
  CHECK_FALSE(warden::parse_duration_ms("ms"));
  CHECK_FALSE(warden::parse_duration_ms("-1ms"));
  CHECK(warden::format_duration(std::chrono::seconds(7 * 86400)) == "7d");
  CHECK(warden::format_duration(std::chrono::seconds(90)) == "90s");
  CHECK(warden::format_time_utc(0).empty());
  CHECK(warden::format_time_utc(1700000000000) == "2023-11-14T22:13:20Z");
}
