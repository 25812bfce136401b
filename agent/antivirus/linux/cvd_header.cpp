#include "agent/antivirus/cvd_header.hpp"

#include "common/text.hpp"

#include <charconv>
#include <ctime>
#include <vector>

namespace warden::agent {

namespace {

template <typename T>
bool number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// "22 Nov 2026 07-27 -0500" -> Unix seconds.
std::optional<int64_t> parse_build_time(std::string_view s) {
  std::string text(s);
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%d %b %Y %H-%M", &tm);
  if (!end) return std::nullopt;
  std::string_view zone(end);
  while (!zone.empty() && zone.front() == ' ') zone.remove_prefix(1);
  int offset = 0;
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    int hh = 0, mm = 0;
    if (!number(zone.substr(1, 2), hh) || !number(zone.substr(3, 2), mm)) return std::nullopt;
    offset = (hh * 60 + mm) * 60 * (zone[0] == '-' ? -1 : 1);
  } else if (!zone.empty()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

}  // namespace

std::optional<CvdHeader> parse_cvd_header(std::string_view bytes) {
  bytes = bytes.substr(0, 512);
  if (bytes.substr(0, 11) != "ClamAV-VDB:") return std::nullopt;
  // The header is padded with spaces (or NULs) after the last field.
  auto end = bytes.find_last_not_of(std::string_view(" \0\r\n", 4));
  if (end == std::string_view::npos) return std::nullopt;
  bytes = bytes.substr(0, end + 1);
  std::vector<std::string_view> f;
  size_t start = 0;
  while (f.size() < 10) {
    auto colon = bytes.find(':', start);
    f.push_back(bytes.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (f.size() < 8) return std::nullopt;
  CvdHeader h;
  if (!number(f[2], h.version) || !number(f[3], h.signatures) || !number(f[4], h.flevel))
    return std::nullopt;
  h.builder = text::printable(f[7], 64);  // from the file: any bytes
  int64_t epoch = 0;
  if (f.size() >= 9 && number(f[8], epoch) && epoch > 0) {
    h.build_time = epoch;
  } else if (auto t = parse_build_time(f[1])) {
    h.build_time = *t;
  } else {
    return std::nullopt;
  }
  return h;
}

}  // namespace warden::agent
