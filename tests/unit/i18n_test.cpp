// Messages in the reader's language: the msgfmt-compiled, embedded zh_CN catalogue through
// Boost.Locale; the language from --lang, LC_ALL, LC_MESSAGES, LANG, LANGUAGE; display widths.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "common/i18n/i18n.hpp"
#include "common/text.hpp"

using namespace warden;
using namespace warden::i18n;

namespace {
struct CleanLocaleEnv {
  CleanLocaleEnv() {
    for (const char* v : {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}) unsetenv(v);
  }
  ~CleanLocaleEnv() {
    for (const char* v : {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}) unsetenv(v);
  }
};
}  // namespace

TEST_CASE("language names parse like locale names") {
  for (const char* zh : {"zh-CN", "zh_CN", "zh_CN.UTF-8", "zh_CN.utf8@x", "zh", "ZH-cn", "zh-Hans"})
    CHECK(parse_language(zh) == Language::zh_CN);
  for (const char* en : {"en", "en_US.UTF-8", "en-GB", "C", "POSIX", "C.UTF-8"})
    CHECK(parse_language(en) == Language::en);
  for (const char* other : {"fr_FR.UTF-8", "", "zh_TW-ish", "klingon"})
    CHECK_FALSE(parse_language(other));
  CHECK(code(Language::zh_CN) == "zh-CN");
}

TEST_CASE("the environment chooses the language as setlocale would") {
  CleanLocaleEnv env;
  CHECK(language_from_environment() == Language::en);
  setenv("LANG", "zh_CN.UTF-8", 1);
  CHECK(language_from_environment() == Language::zh_CN);
  setenv("LC_MESSAGES", "en_US.UTF-8", 1);  // more specific than LANG
  CHECK(language_from_environment() == Language::en);
  setenv("LC_ALL", "zh_CN.UTF-8", 1);  // overrides both
  CHECK(language_from_environment() == Language::zh_CN);
  unsetenv("LC_ALL");
  unsetenv("LC_MESSAGES");
  setenv("LANG", "fr_FR.UTF-8", 1);  // a language Warden does not have: English
  CHECK(language_from_environment() == Language::en);
  unsetenv("LANG");
  setenv("LANGUAGE", "zh_CN:en", 1);
  CHECK(language_from_environment() == Language::zh_CN);

  const char* argv1[] = {"prog", "status", "--lang", "en"};
  CHECK(language_from_command_line(4, argv1) == Language::en);
  const char* argv2[] = {"prog", "--lang=zh-CN", "hosts"};
  CHECK(language_from_command_line(3, argv2) == Language::zh_CN);
  const char* argv3[] = {"prog", "--", "--lang", "en"};  // after --: an argument, not the option
  CHECK(language_from_command_line(4, argv3) == Language::zh_CN);  // LANGUAGE still says zh
}

TEST_CASE("messages come from the compiled catalogue, English otherwise") {
  CHECK(tr("fail", Language::zh_CN) == "不通过");
  CHECK(tr("fail", Language::en) == "fail");
  CHECK(tr("a message nobody translated", Language::zh_CN) == "a message nobody translated");
  CHECK(trf_in(Language::zh_CN, "{1}d ago", 3) == "3 天前");
  CHECK(trf_in(Language::en, "{1}d ago", 3) == "3d ago");
  CHECK(trf_in(Language::zh_CN, "{1} checks, {2} failing", 16, 4) == "共 16 项检查，4 项不通过");
  // A broken format string never throws: the text comes back as it is.
  CHECK(trf_in(Language::en, "{oops", 1) == "{oops");
  set_language(Language::zh_CN);
  CHECK(tr("pass") == "通过");
  set_language(Language::en);
  CHECK(tr("pass") == "pass");
}

TEST_CASE("display width counts CJK as two columns and marks as none") {
  CHECK(text::display_width("abc") == 3);
  CHECK(text::display_width("通过") == 4);
  CHECK(text::display_width("不通过 ok") == 9);
  CHECK(text::display_width("…—✓") == 3);        // three-byte characters that are narrow
  CHECK(text::display_width("e\xCC\x81") == 1);  // e + combining acute accent
  CHECK(text::display_width("ＡＢ") == 4);       // fullwidth Latin
  CHECK(text::display_width("\xFF\xFE"
                            "a") == 3);  // invalid bytes: one replacement each
  CHECK(text::display_width("") == 0);
}
