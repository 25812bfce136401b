#include "agent/collector_addresses.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace warden::agent {

namespace {

void validate_address(const std::string& a) {
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument("collector address '" + a + "': " + why);
  };
  if (a.empty()) fail("empty (expected HOST:PORT)");
  if (a.size() > 255) fail("longer than 255 characters");
  for (unsigned char c : a)
    if (c <= 0x20 || c == 0x7f) fail("contains a space or control character");
  auto colon = a.rfind(':');
  if (colon == std::string::npos || colon == 0) fail("expected HOST:PORT");
  std::string host = a.substr(0, colon);
  if (host.front() == '[' ? host.back() != ']' || host.size() < 3
                          : host.find(':') != std::string::npos)
    fail("an IPv6 address goes in brackets, [::1]:7443");
  int port = 0;
  auto port_text = a.substr(colon + 1);
  auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (r.ec != std::errc() || r.ptr != port_text.data() + port_text.size() || port < 1 ||
      port > 65535)
    fail("the port must be a number from 1 to 65535");
}

}  // namespace

std::vector<std::string> parse_collector_addresses(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    auto comma = list.find(',', start);
    std::string entry = list.substr(start, comma == std::string::npos ? comma : comma - start);
    validate_address(entry);
    if (std::find(out.begin(), out.end(), entry) != out.end())
      throw std::invalid_argument("collector address '" + entry + "' is given twice");
    out.push_back(std::move(entry));
    if (out.size() > kMaxCollectorAddresses)
      throw std::invalid_argument("more than " + std::to_string(kMaxCollectorAddresses) +
                                  " collector addresses");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

FailoverStep next_collector(size_t current, size_t count, size_t attempts_in_round) {
  if (count == 0) return {0, true};
  return {(current + 1) % count, attempts_in_round >= count};
}

}  // namespace warden::agent
