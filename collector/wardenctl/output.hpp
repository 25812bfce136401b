// wardenctl's output: aligned text tables for people, JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace warden::ctl {

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

// Display width of UTF-8 text (CJK characters count as two columns).
size_t display_width(const std::string& s);
// "3m ago", "2d ago"; "never" for 0.
std::string ago(int64_t unix_ms, int64_t now_ms);

}  // namespace warden::ctl
