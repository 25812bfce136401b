#include "agent/platform/service_image_path.hpp"

#include <cstddef>

namespace warden::agent {

namespace {
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool has_quote_or_control(std::string_view s) {
  for (char c : s)
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) return true;
  return false;
}
}  // namespace

std::optional<std::string> quoted_image_path(std::string_view current, std::string_view exe_path) {
  constexpr size_t kMaxImagePath = 32767;  // UNICODE_STRING's limit, in characters
  if (exe_path.empty() || current.size() > kMaxImagePath || has_quote_or_control(exe_path))
    return std::nullopt;
  if (!current.empty() && current.front() == '"') return std::nullopt;  // already quoted
  if (current.size() < exe_path.size() || !iequal(current.substr(0, exe_path.size()), exe_path))
    return std::nullopt;  // not ours: leave it alone
  std::string_view rest = current.substr(exe_path.size());
  if (!rest.empty() && rest.front() != ' ') return std::nullopt;  // a longer name, not ours
  if (exe_path.find(' ') == std::string_view::npos)
    return std::nullopt;  // nothing to split on: quoting changes nothing
  std::string out;
  out.reserve(current.size() + 2);
  out += '"';
  out += current.substr(0, exe_path.size());
  out += '"';
  out += rest;
  return out;
}

}  // namespace warden::agent
