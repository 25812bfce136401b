// text::display_width without ICU (the Windows agent): a small built-in table of the East Asian
// Wide/Fullwidth blocks (UAX #11) and of the common zero-width characters. Close to the ICU
// version for CJK, Hangul, kana and fullwidth forms, which is what Warden's texts contain.
#include <cstdint>
#include <iterator>

#include "common/text.hpp"

namespace warden::text {

namespace {

struct Range {
  char32_t first, last;
};

constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

constexpr Range kZero[] = {
    {0x0000, 0x001F}, {0x007F, 0x009F}, {0x00AD, 0x00AD}, {0x0300, 0x036F},
    {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x1160, 0x11FF}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

template <size_t N>
bool in(const Range (&table)[N], char32_t c) {
  for (const auto& r : table)
    if (c >= r.first && c <= r.last) return true;
  return false;
}

}  // namespace

size_t display_width(std::string_view s) {
  const std::string v = valid_utf8(s);
  size_t width = 0;
  for (size_t i = 0; i < v.size();) {
    auto b0 = static_cast<unsigned char>(v[i]);
    size_t len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b0 : b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len && i + k < v.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(v[i + k]) & 0x3F);
    i += len;
    if (in(kZero, c)) continue;
    width += in(kWide, c) ? 2 : 1;
  }
  return width;
}

}  // namespace warden::text
