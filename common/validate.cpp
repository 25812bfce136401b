#include "common/validate.hpp"

namespace warden::validate {

bool is_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    // Overlong encodings, surrogates and out-of-range code points.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
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
