#include "collector/schedule/cron_schedule.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace warden::collector {

namespace {

int number(const std::string& s, const char* field) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    throw std::invalid_argument(std::string("cron ") + field + " field: '" + s +
                                "' is not a number");
  return v;
}

template <size_t N>
bool parse_field(const std::string& text, int lo, int hi, const char* name, std::bitset<N>& out) {
  bool any = text == "*";
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (part.empty())
      throw std::invalid_argument(std::string("cron ") + name + " field has an empty item");
    int step = 1;
    auto slash = part.find('/');
    if (slash != std::string::npos) {
      step = number(part.substr(slash + 1), name);
      if (step <= 0)
        throw std::invalid_argument(std::string("cron ") + name + " step must be positive");
      part = part.substr(0, slash);
    }
    int a = lo, b = hi;
    if (part != "*") {
      auto dash = part.find('-');
      if (dash == std::string::npos) {
        a = b = number(part, name);
        if (slash != std::string::npos) b = hi;
      } else {
        a = number(part.substr(0, dash), name);
        b = number(part.substr(dash + 1), name);
      }
    }
    if (a < lo || b > hi || a > b)
      throw std::invalid_argument(std::string("cron ") + name + " field: " + part + " is outside " +
                                  std::to_string(lo) + "-" + std::to_string(hi));
    for (int v = a; v <= b; v += step) {
      out.set(static_cast<size_t>(v));
      if (b - v < step) break;  // v + step is past b, and could overflow int (step up to INT_MAX)
    }
  }
  return any;
}

}  // namespace

CronSchedule CronSchedule::parse(const std::string& expression) {
  std::stringstream ss(expression);
  std::vector<std::string> f;
  std::string tok;
  while (ss >> tok) f.push_back(tok);
  if (f.size() != 5)
    throw std::invalid_argument(
        "a cron expression has 5 fields (minute hour day month weekday), got " +
        std::to_string(f.size()) + ": '" + expression + "'");
  CronSchedule c;
  parse_field(f[0], 0, 59, "minute", c.minute_);
  parse_field(f[1], 0, 23, "hour", c.hour_);
  c.dom_any_ = parse_field(f[2], 1, 31, "day-of-month", c.dom_);
  parse_field(f[3], 1, 12, "month", c.month_);
  c.dow_any_ = parse_field(f[4], 0, 7, "day-of-week", c.dow_);
  if (c.dow_.test(7)) c.dow_.set(0);
  return c;
}

bool CronSchedule::matches(const std::tm& t) const {
  if (!minute_.test(static_cast<size_t>(t.tm_min)) || !hour_.test(static_cast<size_t>(t.tm_hour)) ||
      !month_.test(static_cast<size_t>(t.tm_mon + 1)))
    return false;
  bool dom = dom_.test(static_cast<size_t>(t.tm_mday));
  bool dow = dow_.test(static_cast<size_t>(t.tm_wday));
  if (dom_any_ || dow_any_) return dom && dow;
  return dom || dow;
}

std::time_t CronSchedule::next_after(std::time_t after) const {
  std::time_t t = after - (after % 60) + 60;
  for (int i = 0; i < 5 * 366 * 24 * 60; ++i, t += 60) {
    std::tm local{};
    localtime_r(&t, &local);
    if (!month_.test(static_cast<size_t>(local.tm_mon + 1))) {
      // Skip to the next day quickly when the month cannot match.
      t += (23 - local.tm_hour) * 3600 + (59 - local.tm_min) * 60;
      continue;
    }
    if (matches(local)) return t;
  }
  return 0;
}

}  // namespace warden::collector
