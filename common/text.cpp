#include "common/text.hpp"

namespace warden::text {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed character at s[i] (1..4), or 0 with `bad` set to the length of the
// maximal ill-formed subpart to replace (at least 1). Table 3-7 of the Unicode standard.
size_t next_char(std::string_view s, size_t i, size_t& bad, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  bad = 1;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte or C0/C1/F5..FF as a lead byte
  }
  char32_t v = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) {
      bad = k;
      return 0;
    }
    unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
      bad = k;
      return 0;
    }
    v = (v << 6) | (b & 0x3F);
  }
  cp = v;
  return len;
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

std::string clean(std::string_view s, size_t max_bytes, bool drop_controls) {
  std::string out;
  out.reserve(s.size() < max_bytes ? s.size() : max_bytes);
  for (size_t i = 0; i < s.size();) {
    size_t bad = 1;
    char32_t cp = 0;
    size_t len = next_char(s, i, bad, cp);
    std::string_view piece = len ? s.substr(i, len) : kReplacement;
    i += len ? len : bad;
    if (len && drop_controls && is_control(cp)) continue;
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
  }
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t bad = 1;
    char32_t cp = 0;
    size_t len = next_char(s, i, bad, cp);
    if (!len) return false;
    i += len;
  }
  return true;
}

std::string valid_utf8(std::string_view s, size_t max_bytes) {
  return clean(s, max_bytes, false);
}

std::string printable(std::string_view s, size_t max_bytes) {
  // Cut after trimming, so leading spaces do not use up the budget.
  std::string kept = clean(s, std::string_view::npos, true);
  auto b = kept.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  auto e = kept.find_last_not_of(' ');
  std::string_view core = std::string_view(kept).substr(b, e - b + 1);
  if (core.size() <= max_bytes) return std::string(core);
  std::string cut = clean(core, max_bytes, false);
  while (!cut.empty() && cut.back() == ' ') cut.pop_back();
  return cut;
}

std::string utf16_to_utf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  auto put = [&out](char32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t u = s[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 &&
        s[i + 1] <= 0xDFFF) {
      put(0x10000 + ((u - 0xD800) << 10) + (s[i + 1] - 0xDC00));
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      put(0xFFFD);  // unpaired surrogate
    } else {
      put(u);
    }
  }
  return out;
}

}  // namespace warden::text
