#include "collector/wardenctl/output.hpp"

#include "common/text.hpp"

#include <algorithm>

#include "common/i18n/i18n.hpp"
#include "common/time_zone.hpp"

namespace warden::ctl {

using i18n::tr;
using i18n::trf;

size_t display_width(const std::string& s) {
  return text::display_width(s);
}

std::string Table::render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = display_width(headers_[i]);
  for (const auto& r : rows_)
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(r[i]));
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      l += cell;
      if (i + 1 < widths.size()) l += std::string(widths[i] - display_width(cell) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(headers_);
  for (const auto& r : rows_) line(r);
  return out;
}

std::string ago(int64_t unix_ms, int64_t now_ms) {
  if (unix_ms <= 0) return tr("never");
  long s = static_cast<long>(std::max<int64_t>(0, (now_ms - unix_ms) / 1000));
  if (s < 60) return trf("{1}s ago", s);
  if (s < 3600) return trf("{1}m ago", s / 60);
  if (s < 86400) return trf("{1}h ago", s / 3600);
  return trf("{1}d ago", s / 86400);
}

std::string local_time(int64_t unix_ms) {
  static const TimeZone zone = TimeZone::system();
  if (unix_ms == 0) return "-";
  return zone.format(unix_ms);
}

}  // namespace warden::ctl
