// Five-field cron expressions (minute hour day-of-month month day-of-week) for scheduled sweeps:
// `*`, lists `1,3`, ranges `1-5`, steps `*/15` and `8-18/2`; day-of-week 0-7 (0 and 7 Sunday).
// As in cron(8), when both day fields are restricted a day matches if either does.
#pragma once

#include <bitset>
#include <ctime>
#include <string>

namespace warden::collector {

class CronSchedule {
 public:
  // Throws std::invalid_argument saying which field is wrong.
  static CronSchedule parse(const std::string& expression);
  // The first matching minute strictly after `after` (local time), or 0 if none within 5 years.
  std::time_t next_after(std::time_t after) const;
  bool matches(const std::tm& local) const;

 private:
  std::bitset<60> minute_;
  std::bitset<24> hour_;
  std::bitset<32> dom_;
  std::bitset<13> month_;
  std::bitset<8> dow_;
  bool dom_any_ = true, dow_any_ = true;
};

}  // namespace warden::collector
