// text::display_width with ICU's character properties (Linux).
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "common/text.hpp"

namespace warden::text {

size_t display_width(std::string_view s) {
  const std::string v = valid_utf8(s);
  size_t width = 0;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(v.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(v.data()), i, n, c);
    if (c < 0) {
      ++width;
      continue;
    }
    const int cat = u_charType(c);
    if (c == 0x200B || cat == U_NON_SPACING_MARK || cat == U_ENCLOSING_MARK ||
        cat == U_FORMAT_CHAR || cat == U_CONTROL_CHAR ||
        (c >= 0x1160 && c <= 0x11FF))  // Hangul medial vowels and final consonants join
      continue;
    const int eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
  }
  return width;
}

}  // namespace warden::text
