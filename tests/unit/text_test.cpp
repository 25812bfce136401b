// Strings from devices and hosts made safe: valid UTF-8, cut on character boundaries, control
// characters dropped where a person reads them, and JSON text that cannot throw.
#include <catch2/catch.hpp>

#include "agent/usb/usb_device_text.hpp"
#include "common/json_text.hpp"
#include "common/text.hpp"

using namespace warden;

TEST_CASE("valid_utf8 replaces each ill-formed subpart with U+FFFD and keeps the rest") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(text::valid_utf8("plain") == "plain");
  CHECK(text::valid_utf8("计算机") == "计算机");
  CHECK(text::valid_utf8("a\xFF"
                         "b") == "a" + fffd + "b");
  CHECK(text::valid_utf8("\xC0\xAF") == fffd + fffd);             // overlong '/'
  CHECK(text::valid_utf8("\xED\xA0\x80") == fffd + fffd + fffd);  // a surrogate
  CHECK(text::valid_utf8("\xE8\xAE") == fffd);                    // a truncated character
  CHECK(text::valid_utf8("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
  CHECK(text::valid_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3));
  CHECK(text::is_valid_utf8(text::valid_utf8("\xE8\xAE\xA1\xE8\xAE")));
}

TEST_CASE("cuts fall on character boundaries, never inside one") {
  std::string chinese;
  for (int i = 0; i < 60; ++i) chinese += "安";  // 180 bytes
  auto cut = text::valid_utf8(chinese, 128);
  CHECK(cut.size() == 126);  // 42 whole characters
  CHECK(text::is_valid_utf8(cut));
  CHECK(text::printable(chinese, 128) == cut);
  CHECK(text::valid_utf8("abc", 0).empty());
  CHECK(text::valid_utf8("a\xFF", 3) == "a");  // U+FFFD (3 bytes) does not fit after 'a'
}

TEST_CASE("printable drops control characters and trims, for one-line names") {
  CHECK(text::printable("  Cruzer\tBlade\r\n") == "CruzerBlade");
  CHECK(text::printable("\x1b[31mred\x1b[0m") == "[31mred[0m");
  CHECK(text::printable("a\xC2\x85"
                        "b") == "ab");  // C1 NEL
  CHECK(text::printable("a\xE2\x80\xA8"
                        "b") == "ab");  // U+2028 LINE SEPARATOR
  CHECK(text::printable(std::string("x\0y", 3)) == "xy");
  CHECK(text::printable("\n\t ").empty());
  CHECK(text::printable("     a", 1) == "a");  // the budget is for the kept text
}

TEST_CASE("json_text never throws on invalid UTF-8, where dump() does") {
  nlohmann::json j = {{"product", std::string("\xE5\xAE\x89\xE5")}};
  CHECK_THROWS(j.dump());
  auto t = json_text(j);
  CHECK(text::is_valid_utf8(t));
  CHECK(nlohmann::json::parse(t)["product"] == "安\xEF\xBF\xBD");
}

TEST_CASE("a USB device's strings are cleaned and bounded, its codes made hex") {
  agent::UsbDevice raw;
  for (int i = 0; i < 60; ++i) raw.product += "存";
  raw.manufacturer =
      "\xFF\xFE"
      "Evil\xC3";
  raw.serial = "SER\nIAL\x1b\x01";
  raw.vendor_id = "ABCD\n";
  raw.product_id = "zz12";
  raw.interfaces.resize(100, {"08\n", "06", "50", "Mass\tStorage", "usb-storage"});
  auto d = agent::clean_usb_device(raw);
  CHECK(d.product.size() == 126);
  CHECK(d.manufacturer ==
        "\xEF\xBF\xBD\xEF\xBF\xBD"
        "Evil\xEF\xBF\xBD");
  CHECK(d.serial == "SERIAL");
  CHECK(d.vendor_id == "abcd");
  CHECK(d.product_id == "12");
  CHECK(d.interfaces.size() == agent::kMaxUsbInterfaces);
  CHECK(d.interfaces[0].class_code == "08");
  CHECK(d.interfaces[0].name == "MassStorage");
  CHECK(d.kind == "storage");
}

TEST_CASE("utf16_to_utf8 converts Windows wide strings, unpaired surrogates to U+FFFD") {
  using warden::text::utf16_to_utf8;
  CHECK(utf16_to_utf8(u"") == "");
  CHECK(utf16_to_utf8(u"Ethernet 2") == "Ethernet 2");
  CHECK(utf16_to_utf8(u"以太网") == "以太网");
  CHECK(utf16_to_utf8(u"caf\u00e9") == "caf\xC3\xA9");
  CHECK(utf16_to_utf8(u"\U0001F600") == "\xF0\x9F\x98\x80");  // a surrogate pair
  const char16_t lone_high[] = {u'a', 0xD83D, u'b'};
  CHECK(utf16_to_utf8(std::u16string_view(lone_high, 3)) ==
        "a\xEF\xBF\xBD"
        "b");
  const char16_t lone_low[] = {0xDE00, u'x'};
  CHECK(utf16_to_utf8(std::u16string_view(lone_low, 2)) == "\xEF\xBF\xBDx");
  const char16_t high_at_end[] = {u'x', 0xD800};
  CHECK(utf16_to_utf8(std::u16string_view(high_at_end, 2)) == "x\xEF\xBF\xBD");
  const char16_t with_nul[] = {u'a', 0, u'b'};
  CHECK(utf16_to_utf8(std::u16string_view(with_nul, 3)) == std::string("a\0b", 3));
}
