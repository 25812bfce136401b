// MoCatalog (common/i18n/mo_catalog.hpp), the .mo reader the Windows agent uses instead of
// Boost.Locale: on the very catalogue this build embeds, every entry must translate exactly as
// Boost.Locale translates it on Linux (so the Windows agent's Chinese is the Linux agent's), plural
// entries included; malformed files are refused without reading past their end.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "common/i18n/i18n.hpp"
#include "common/i18n/mo_catalog.hpp"

namespace warden::embedded {
extern const std::string_view zh_CN_mo;
}

using namespace warden;
using namespace warden::i18n;

namespace {
// A minimal little-endian .mo with the given (msgid, msgstr) pairs, sorted as msgfmt sorts them.
std::string make_mo(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto u32 = [](std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
  };
  uint32_t n = static_cast<uint32_t>(entries.size());
  uint32_t originals = 28, translations = originals + 8 * n, data = translations + 8 * n;
  std::string head, table_o, table_t, strings;
  for (const auto& [id, str] : entries) {
    u32(table_o, static_cast<uint32_t>(id.size()));
    u32(table_o, data + static_cast<uint32_t>(strings.size()));
    strings += id + '\0';
  }
  for (const auto& [id, str] : entries) {
    u32(table_t, static_cast<uint32_t>(str.size()));
    u32(table_t, data + static_cast<uint32_t>(strings.size()));
    strings += str + '\0';
  }
  u32(head, 0x950412de);
  u32(head, 0);
  u32(head, n);
  u32(head, originals);
  u32(head, translations);
  u32(head, 0);
  u32(head, 0);
  return head + table_o + table_t + strings;
}
}  // namespace

TEST_CASE("MoCatalog: the embedded zh_CN catalogue translates as Boost.Locale does", "[i18n]") {
  auto c = MoCatalog::parse(embedded::zh_CN_mo);
  CHECK(c.nplurals() == 1);
  REQUIRE(c.size() > 400);
  CHECK(c.find("{1} checks, {2} failing") == std::string_view("共 {1} 项检查，{2} 项不通过"));
  CHECK_FALSE(c.find("a message nobody translated"));
  // Every msgid the catalogue holds, through both readers.
  size_t compared = 0;
  std::string_view bytes = embedded::zh_CN_mo;
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  uint32_t n = u32(8), originals = u32(12);
  for (uint32_t i = 0; i < n; ++i) {
    std::string id(bytes.substr(u32(originals + 8 * i + 4), u32(originals + 8 * i)));
    if (id.empty() || id.find('\x04') != std::string::npos) continue;
    std::string singular = id.substr(0, id.find('\0'));
    if (id.find('\0') != std::string::npos) {
      std::string plural = id.substr(id.find('\0') + 1);
      for (long k : {0L, 1L, 2L, 7L}) {
        INFO("plural " << singular << " n=" << k);
        auto mine = c.find_plural(singular, k);
        REQUIRE(mine);
        CHECK(std::string(*mine) == trn(singular.c_str(), plural.c_str(), k, Language::zh_CN));
      }
    } else {
      INFO("msgid " << singular);
      auto mine = c.find(singular);
      REQUIRE(mine);
      CHECK(std::string(*mine) == tr(singular.c_str(), Language::zh_CN));
    }
    ++compared;
  }
  CHECK(compared + 1 >= n);
}

TEST_CASE("MoCatalog: plural rules, and malformed files refused", "[i18n]") {
  std::string two_forms =
      make_mo({{"", "Plural-Forms: nplurals=2; plural=(n != 1);\n"},
               {std::string("{1} host\0{1} hosts", 17), std::string("H1\0HN", 5)},
               {"Hosts", "Rechner"}});
  auto c = MoCatalog::parse(two_forms);
  CHECK(c.nplurals() == 2);
  CHECK(c.find("Hosts") == std::string_view("Rechner"));
  CHECK(c.find_plural("{1} host", 1) == std::string_view("H1"));
  CHECK(c.find_plural("{1} host", 5) == std::string_view("HN"));
  CHECK(c.find("{1} host") == std::string_view("H1"));

  CHECK_THROWS_AS(MoCatalog::parse(""), std::invalid_argument);
  CHECK_THROWS_AS(MoCatalog::parse("not a catalogue at all, just text"), std::invalid_argument);
  // Truncated anywhere: never a read past the end.
  for (size_t cut = 0; cut < two_forms.size(); ++cut)
    CHECK_THROWS_AS(MoCatalog::parse(std::string_view(two_forms).substr(0, cut)),
                    std::invalid_argument);
  // A string offset pointing past the end, and a count larger than the file.
  std::string bad = two_forms;
  bad[28 + 8 + 4] = '\xff';
  bad[28 + 8 + 5] = '\xff';
  CHECK_THROWS_AS(MoCatalog::parse(bad), std::invalid_argument);
  bad = two_forms;
  bad[8] = '\xff';
  bad[9] = '\xff';
  bad[10] = '\xff';
  CHECK_THROWS_AS(MoCatalog::parse(bad), std::invalid_argument);
}
