#include "common/i18n/i18n.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/text.hpp"

namespace warden::embedded {
extern const std::string_view zh_CN_mo;  // msgfmt output of common/i18n/po/*.zh_CN.po
}

namespace warden::i18n {

namespace {

namespace bl = boost::locale;

constexpr const char* kDomain = "warden";

std::locale make_locale(Language lang) {
  bl::generator gen;
  if (lang == Language::en) return gen("en_US.UTF-8");
  std::locale base = gen("zh_CN.UTF-8");
  bl::gnu_gettext::messages_info info;
  info.language = "zh";
  info.country = "CN";
  info.encoding = "UTF-8";
  info.domains.emplace_back(kDomain);
  // The catalogue is embedded: Boost.Locale asks for "<path>/<locale>/LC_MESSAGES/<domain>.mo"
  // and the callback answers for the one file that exists.
  info.paths.emplace_back("embedded");
  info.callback = [](const std::string& file_name, const std::string&) {
    std::vector<char> bytes;
    if (file_name == std::string("embedded/zh_CN/LC_MESSAGES/") + kDomain + ".mo")
      bytes.assign(embedded::zh_CN_mo.begin(), embedded::zh_CN_mo.end());
    return bytes;
  };
  return std::locale(base, bl::gnu_gettext::create_messages_facet<char>(info));
}

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
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    // The first variable that is set decides, as setlocale() does.
    if (auto lang = parse_language(v)) return *lang;
    break;
  }
  if (const char* v = std::getenv("LANGUAGE"); v != nullptr && *v != '\0') {
    std::string_view list(v);
    if (auto lang = parse_language(list.substr(0, list.find(':')))) return *lang;
  }
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

const std::locale& locale_for(Language lang) {
  // Built once each, on first use (thread-safe static initialisation).
  static const std::locale en = make_locale(Language::en);
  static const std::locale zh = make_locale(Language::zh_CN);
  return lang == Language::zh_CN ? zh : en;
}

std::string tr(const char* msgid, Language lang) {
  if (lang == Language::en) return msgid;
  return bl::gettext(msgid, locale_for(lang));
}

std::string tr(const char* msgid) {
  return tr(msgid, language());
}

std::string trn(const char* singular, const char* plural, long n, Language lang) {
  if (lang == Language::en) return n == 1 ? singular : plural;
  return bl::ngettext(singular, plural, n, locale_for(lang));
}

}  // namespace warden::i18n
