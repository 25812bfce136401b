// Local time for people: the days a report counts start at local midnight in the unit's time zone
// (Asia/Shanghai by default in the packaged config), and every time a person reads carries its
// offset. Stored timestamps stay UTC milliseconds; only presentation and day arithmetic go
// through here. Zone rules come from ICU (libicu, Debian's tzdata-based build), so a zone name is
// resolved the same way on every machine whatever its TZ or /etc/localtime.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace warden {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

// "2026-12-03" -> date; nullopt for anything else (including impossible dates like 2026-02-30).
std::optional<CivilDate> parse_civil_date(std::string_view text);
std::string format_civil_date(const CivilDate& d);
CivilDate add_days(const CivilDate& d, int days);
int64_t day_number(const CivilDate& d);  // days since 1970-01-01
CivilDate date_of_day_number(int64_t day);
int days_in_month(int year, int month);

class TimeZone {
 public:
  // An IANA zone name ("Asia/Shanghai", "UTC"); invalid for a name ICU does not know.
  static Result<TimeZone> named(std::string_view iana_name);
  // The machine's zone (TZ, else /etc/localtime); UTC if it cannot be determined.
  static TimeZone system();
  static TimeZone utc();

  const std::string& name() const { return name_; }
  // Local time minus UTC at the instant `utc_ms`, in milliseconds (+28800000 in Shanghai).
  int64_t offset_ms(int64_t utc_ms) const;
  // The local day at `utc_ms` as days since 1970-01-01 (the report's day buckets).
  int64_t day_number(int64_t utc_ms) const;
  // The local calendar date at `utc_ms`.
  CivilDate date_at(int64_t utc_ms) const;
  // The instant local midnight starts `date` (UTC ms). Where midnight does not exist (a DST gap),
  // the first instant of the day.
  int64_t start_of(const CivilDate& date) const;
  // "2026-12-03 20:33:12 +08:00"; empty for 0.
  std::string format(int64_t utc_ms) const;
  // "2026-12-03 20:33 +08:00" (minutes).
  std::string format_minutes(int64_t utc_ms) const;
  // "+08:00" at `utc_ms`.
  std::string offset_text(int64_t utc_ms) const;

 private:
  struct Rules;  // the ICU zone
  TimeZone(std::string name, std::shared_ptr<const Rules> rules)
      : name_(std::move(name)), rules_(std::move(rules)) {}
  std::string name_;
  std::shared_ptr<const Rules> rules_;
};

}  // namespace warden
