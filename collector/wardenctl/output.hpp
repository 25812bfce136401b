// wardenctl's output: aligned text tables for people, JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace warden::ctl {

// Columns aligned by display width (a CJK character is two columns wide), two spaces apart.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// The columns UTF-8 text takes on a terminal: East Asian Wide and Fullwidth characters two,
// combining marks and other zero-width characters none, everything else one (…, —, ✓ too). An
// invalid byte counts as one column.
size_t display_width(const std::string& s);
// "3m ago", "2d ago" ("3 分钟前" in Chinese); "never" for 0.
std::string ago(int64_t unix_ms, int64_t now_ms);
// A time for people: local time with its offset, "2026-12-03 20:33:12 +08:00" (the machine's
// zone: TZ, else /etc/localtime); "-" for 0.
std::string local_time(int64_t unix_ms);

}  // namespace warden::ctl
