// Choosing the language (command line, environment): the same on every platform, and on Windows,
// when no environment variable names one, the user's locale (GetUserDefaultLocaleName).
#include <atomic>
#include <cstdlib>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif

#include "common/i18n/i18n.hpp"
#include "common/text.hpp"

namespace warden::i18n {

namespace {
std::atomic<Language> g_language{Language::en};
}  // namespace

std::string_view code(Language lang) {
  return lang == Language::zh_CN ? "zh-CN" : "en";
}

std::optional<Language> parse_language(std::string_view text) {
  std::string t = text::lower(text::trim(text));
  if (auto dot = t.find_first_of(".@"); dot != std::string::npos) t.resize(dot);
  for (auto& c : t)
    if (c == '_') c = '-';
  if (t == "zh-cn" || t == "zh" || t == "zh-hans" || t == "zh-hans-cn" || t == "zh-sg")
    return Language::zh_CN;
  if (t == "en" || t.starts_with("en-") || t == "c" || t == "posix") return Language::en;
  return std::nullopt;
}

Language language_from_environment() {
  bool any = false;
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    any = true;
    // The first variable that is set decides, as setlocale() does.
    if (auto lang = parse_language(v)) return *lang;
    break;
  }
  if (const char* v = std::getenv("LANGUAGE"); v != nullptr && *v != '\0') {
    any = true;
    std::string_view list(v);
    if (auto lang = parse_language(list.substr(0, list.find(':')))) return *lang;
  }
#ifdef _WIN32
  // Windows sets none of those: the user's locale ("zh-CN"; "zh-TW" is not Simplified Chinese).
  wchar_t name[LOCALE_NAME_MAX_LENGTH] = {};
  if (!any && GetUserDefaultLocaleName(name, LOCALE_NAME_MAX_LENGTH) > 0) {
    std::string ascii;
    for (const wchar_t* p = name; *p != L'\0' && ascii.size() < 32; ++p)
      ascii += *p < 0x80 ? static_cast<char>(*p) : '?';
    if (auto lang = parse_language(ascii)) return *lang;
  }
#else
  (void)any;
#endif
  return Language::en;
}

Language language_from_command_line(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    std::optional<Language> lang;
    if (a == "--lang" && i + 1 < argc)
      lang = parse_language(argv[i + 1]);
    else if (a.starts_with("--lang="))
      lang = parse_language(a.substr(7));
    if (lang) return *lang;
  }
  return language_from_environment();
}

void set_language(Language lang) {
  g_language.store(lang);
}

Language language() {
  return g_language.load();
}

}  // namespace warden::i18n
