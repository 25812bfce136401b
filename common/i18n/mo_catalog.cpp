#include "common/i18n/mo_catalog.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace warden::i18n {

namespace {
constexpr uint32_t kMagic = 0x950412de;

struct Reader {
  std::string_view bytes;
  bool swap = false;
  uint32_t u32(size_t at) const {
    if (at > bytes.size() || bytes.size() - at < 4)
      throw std::invalid_argument("mo: offset " + std::to_string(at) + " past the end");
    auto b = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i]));
    };
    uint32_t v = b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
    return swap ? (v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24) : v;
  }
  std::string_view string(size_t table, uint32_t index) const {
    size_t at = table + static_cast<size_t>(index) * 8;
    uint32_t len = u32(at), off = u32(at + 4);
    // msgfmt writes a NUL after each string; it is not part of it.
    if (off > bytes.size() || bytes.size() - off < static_cast<size_t>(len) + 1)
      throw std::invalid_argument("mo: string " + std::to_string(index) + " past the end");
    return bytes.substr(off, len);
  }
};
}  // namespace

MoCatalog MoCatalog::parse(std::string_view bytes) {
  Reader r{bytes};
  uint32_t magic = r.u32(0);
  if (magic != kMagic) {
    r.swap = true;
    if (r.u32(0) != kMagic) throw std::invalid_argument("mo: not a gettext catalogue");
  }
  if (r.u32(4) >> 16 != 0) throw std::invalid_argument("mo: unknown major revision");
  uint32_t n = r.u32(8), originals = r.u32(12), translations = r.u32(16);
  if (n > bytes.size() / 16) throw std::invalid_argument("mo: more strings than the file holds");
  MoCatalog c;
  c.entries_.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view id = r.string(originals, i), str = r.string(translations, i);
    if (id.empty()) {  // the header
      auto p = str.find("nplurals=");
      if (p != std::string_view::npos && p + 9 < str.size() && str[p + 9] >= '1' &&
          str[p + 9] <= '9')
        c.nplurals_ = str[p + 9] - '0';
      continue;
    }
    if (id.find('\x04') != std::string_view::npos) continue;  // msgctxt: not used
    id = id.substr(0, id.find('\0'));                         // a plural entry: its singular
    c.entries_.emplace(id, str);
  }
  return c;
}

std::optional<std::string_view> MoCatalog::find(std::string_view msgid) const {
  auto it = entries_.find(msgid);
  if (it == entries_.end() || it->second.empty()) return std::nullopt;
  return it->second.substr(0, it->second.find('\0'));
}

std::optional<std::string_view> MoCatalog::find_plural(std::string_view singular, long n) const {
  auto it = entries_.find(singular);
  if (it == entries_.end() || it->second.empty()) return std::nullopt;
  size_t form = nplurals_ == 1 ? 0 : (n == 1 ? 0 : 1);
  std::string_view forms = it->second;
  for (size_t k = 0; k < form; ++k) {
    auto nul = forms.find('\0');
    if (nul == std::string_view::npos) return std::nullopt;  // fewer forms than the rule asks
    forms.remove_prefix(nul + 1);
  }
  auto out = forms.substr(0, forms.find('\0'));
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace warden::i18n
