#include "agent/platform/msi_enroll_data.hpp"

#include <stdexcept>
#include <vector>

namespace warden::agent {

namespace {
bool plain(std::string_view s) {  // nothing a command line would split on or an attacker abuse
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '%' || c == '^' || c == '&' || c == '|' ||
        c == '<' || c == '>')
      return false;
  }
  return true;
}

bool valid_path(std::string_view p) {
  if (p.empty() || p.size() > 32000) return false;
  for (char c : p)
    if (c == '"' || c == '|' || c == '<' || c == '>' || c == '*' || c == '?' ||
        static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

void check_token(std::string_view token) {
  if (token.empty() || token.size() > 4096 || !plain(token))
    throw std::invalid_argument(
        "enrollment data: the token must be 1 to 4096 characters without spaces, quotes or "
        "control characters");  // never the token itself: this goes to the installer's log
}
}  // namespace

MsiEnrollData parse_msi_enroll_data(std::string_view data) {
  if (data.size() > 80000) throw std::invalid_argument("enrollment data: longer than 80000 bytes");
  std::vector<std::string_view> f;
  size_t start = 0;
  for (;;) {
    size_t bar = data.find('|', start);
    f.push_back(data.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (f.size() != 5)
    throw std::invalid_argument(
        "enrollment data: expected COLLECTOR|CA_FINGERPRINT|TOKEN|"
        "TOKEN_FILE|EXE, got " +
        std::to_string(f.size()) + " fields");
  MsiEnrollData d;
  if (f[0].empty() || f[0].size() > 1024 || !plain(f[0]))
    throw std::invalid_argument(
        "enrollment data: COLLECTOR must be HOST:PORT (1 to 1024 characters, no spaces, quotes or "
        "control characters)");
  if (f[1].size() < 8 || f[1].size() > 200 || !plain(f[1]) || f[1].substr(0, 7) != "SHA256:")
    throw std::invalid_argument("enrollment data: CA_FINGERPRINT must be SHA256:<hex>");
  if (f[2].empty() == f[3].empty())
    throw std::invalid_argument("enrollment data: give exactly one of TOKEN_FILE and TOKEN");
  if (!f[2].empty()) check_token(f[2]);
  if (!f[3].empty() && !valid_path(f[3]))
    throw std::invalid_argument("enrollment data: TOKEN_FILE is not a valid path");
  if (!valid_path(f[4]))
    throw std::invalid_argument("enrollment data: the path of warden-agent.exe is not valid");
  d.collector = f[0];
  d.ca_fingerprint = f[1];
  d.token = f[2];
  d.token_file = f[3];
  d.exe_path = f[4];
  return d;
}

std::string msi_token_from_file(std::string_view content) {
  if (content.size() > 8192)
    throw std::invalid_argument("TOKEN_FILE is larger than a token can be (8 KiB)");
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!content.empty() && space(content.front())) content.remove_prefix(1);
  while (!content.empty() && space(content.back())) content.remove_suffix(1);
  check_token(content);
  return std::string(content);
}

std::string msi_enroll_command_line(const MsiEnrollData& d) {
  return "\"" + d.exe_path + "\" enroll --collector \"" + d.collector + "\" --ca-fingerprint \"" +
         d.ca_fingerprint + "\" --token-file -";
}

}  // namespace warden::agent
