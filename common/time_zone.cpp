#include "common/time_zone.hpp"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <charconv>
#include <cstdio>

namespace warden {

struct TimeZone::Rules {
  std::unique_ptr<icu::TimeZone> zone;
};

namespace {

constexpr int64_t kDay = 86400000;

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::optional<CivilDate> parse_civil_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  CivilDate d;
  auto num = [&](size_t at, size_t len, int& out) {
    auto [p, ec] = std::from_chars(t.data() + at, t.data() + at + len, out);
    return ec == std::errc() && p == t.data() + at + len;
  };
  if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return std::nullopt;
  if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::string format_civil_date(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

CivilDate add_days(const CivilDate& d, int days) {
  return civil_from_days(days_from_civil(d.year, d.month, d.day) + days);
}

Result<TimeZone> TimeZone::named(std::string_view iana_name) {
  icu::UnicodeString id = icu::UnicodeString::fromUTF8(
      icu::StringPiece(iana_name.data(), static_cast<int32_t>(iana_name.size())));
  auto rules = std::make_shared<Rules>();
  rules->zone.reset(icu::TimeZone::createTimeZone(id));
  if (iana_name.empty() || !rules->zone || *rules->zone == icu::TimeZone::getUnknown())
    return Error{ErrorKind::invalid, "unknown time zone \"" + std::string(iana_name) +
                                         "\" (an IANA name such as Asia/Shanghai or UTC)"};
  return TimeZone(std::string(iana_name), std::move(rules));
}

TimeZone TimeZone::system() {
  auto rules = std::make_shared<Rules>();
  rules->zone.reset(icu::TimeZone::detectHostTimeZone());
  if (!rules->zone || *rules->zone == icu::TimeZone::getUnknown()) return utc();
  icu::UnicodeString id;
  rules->zone->getID(id);
  return TimeZone(utf8(id), std::move(rules));
}

TimeZone TimeZone::utc() {
  auto rules = std::make_shared<Rules>();
  rules->zone.reset(icu::TimeZone::getGMT()->clone());
  return TimeZone("UTC", std::move(rules));
}

int64_t TimeZone::offset_ms(int64_t utc_ms) const {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  rules_->zone->getOffset(static_cast<UDate>(utc_ms), false, raw, dst, status);
  return U_SUCCESS(status) ? int64_t{raw} + dst : 0;
}

int64_t day_number(const CivilDate& d) {
  return days_from_civil(d.year, d.month, d.day);
}

CivilDate date_of_day_number(int64_t day) {
  return civil_from_days(day);
}

int64_t TimeZone::day_number(int64_t utc_ms) const {
  return floor_div(utc_ms + offset_ms(utc_ms), kDay);
}

CivilDate TimeZone::date_at(int64_t utc_ms) const {
  return civil_from_days(floor_div(utc_ms + offset_ms(utc_ms), kDay));
}

int64_t TimeZone::start_of(const CivilDate& date) const {
  const int64_t local_midnight = days_from_civil(date.year, date.month, date.day) * kDay;
  // The UTC instant whose local time is local_midnight: try the offsets in force around it.
  int64_t guess = local_midnight - offset_ms(local_midnight);
  int64_t at = local_midnight - offset_ms(guess);
  if (at + offset_ms(at) == local_midnight) return at;
  if (guess + offset_ms(guess) == local_midnight) return guess;
  // Midnight falls in a gap (clocks jumped past it): the day starts at the jump.
  return std::max(at, guess);
}

std::string TimeZone::offset_text(int64_t utc_ms) const {
  int64_t off = offset_ms(utc_ms) / 60000;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(off / 60),
                static_cast<int>(off % 60));
  return buf;
}

std::string TimeZone::format(int64_t utc_ms) const {
  if (utc_ms == 0) return {};
  const int64_t local = utc_ms + offset_ms(utc_ms);
  const CivilDate d = civil_from_days(floor_div(local, kDay));
  const int64_t in_day = (local - floor_div(local, kDay) * kDay) / 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d ", d.year, d.month, d.day,
                static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                static_cast<int>(in_day % 60));
  return buf + offset_text(utc_ms);
}

std::string TimeZone::format_minutes(int64_t utc_ms) const {
  std::string s = format(utc_ms);
  if (s.size() > 19) s.erase(16, 3);  // drop ":SS"
  return s;
}

}  // namespace warden
