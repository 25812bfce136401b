#include "common/i18n/i18n.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <string>
#include <vector>

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

}  // namespace

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
