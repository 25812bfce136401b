#include "common/validate.hpp"

#include "common/text.hpp"

namespace warden::validate {

bool is_utf8(std::string_view s) {
  return text::is_valid_utf8(s);
}

std::string summary_key(std::string_view value) {
  if (value.size() > 32) return "summary_key must be at most 32 characters long";
  for (char c : value)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return "summary_key may only contain a-z, 0-9 and '_'";
  return {};
}

std::string identifier(std::string_view what, std::string_view value) {
  if (value.empty() || value.size() > 64)
    return std::string(what) + " must be 1 to 64 characters long";
  bool seg_empty = true;
  for (char c : value) {
    if (c == '.') {
      if (seg_empty)
        return std::string(what) + " '" + std::string(value) + "' has an empty segment";
      seg_empty = true;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return std::string(what) + " may only contain a-z, 0-9, '_' and '.'";
    seg_empty = false;
  }
  if (seg_empty) return std::string(what) + " must not end with '.'";
  return {};
}

std::string text(std::string_view what, std::string_view value, size_t max_bytes,
                 bool allow_empty) {
  if (!allow_empty && value.empty()) return std::string(what) + " must not be empty";
  if (value.size() > max_bytes)
    return std::string(what) + " is " + std::to_string(value.size()) + " bytes; the limit is " +
           std::to_string(max_bytes);
  if (!is_utf8(value)) return std::string(what) + " is not valid UTF-8";
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return std::string(what) + " contains control characters";
  return {};
}

std::string department(std::string_view value) {
  std::string err = text("department", value, 128, false);
  if (!err.empty()) return err;
  if (value.front() == '/' || value.back() == '/' || value.find("//") != std::string_view::npos)
    return "department '" + std::string(value) + "' has an empty level (use A/B/C)";
  return {};
}

}  // namespace warden::validate
