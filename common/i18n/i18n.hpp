// The language people read Warden in: English (the default and the msgids) or Simplified Chinese.
//
// Messages are GNU gettext catalogues: common/i18n/po/<area>.zh_CN.po, compiled by msgfmt at
// build time and embedded in the binaries (no locale directory to find at run time), read through
// Boost.Locale, which needs no system locale to be installed. A message is its English text:
//   tr("Hosts")                       -> "主机"
//   trf("{1} days ago", days)         -> "3 天前" (Boost.Locale format: {1}, {2}, ... any order)
//   trn("{1} host", "{1} hosts", n)   -> plural forms from the catalogue header
// The language is chosen once at start (--lang, else LC_ALL, LC_MESSAGES, LANG, LANGUAGE) and is
// process-wide; code that renders for one reader in another language (a report for the level above)
// passes a Language explicitly. Machine-readable output (--json, stored codes, logs for machines)
// never goes through here: it keeps stable English keys and codes.
//
// Builds without Boost.Locale and ICU (WARDEN_I18N_MO_READER: the Windows agent) read the same
// embedded catalogue with MoCatalog (common/i18n/mo_catalog.hpp); trf() substitutes {1}, {2}, ...
// itself there.
#pragma once

#ifdef WARDEN_I18N_MO_READER
#include <sstream>
#include <vector>
#else
#include <boost/locale/format.hpp>
#endif

#include <locale>
#include <optional>
#include <string>
#include <string_view>

namespace warden::i18n {

enum class Language { en, zh_CN };

// "en", "zh-CN" (BCP 47, as in HTML lang= and --lang).
std::string_view code(Language lang);
// Accepts "zh-CN", "zh_CN", "zh_CN.UTF-8", "zh", "zh-Hans", "en", "en_US.UTF-8", "C", "POSIX".
std::optional<Language> parse_language(std::string_view text);
// What the environment asks for: LC_ALL, then LC_MESSAGES, then LANG (the first one set), then
// LANGUAGE's first entry; English when none names a language Warden has.
Language language_from_environment();

// The language a program's command line asks for: `--lang X` or `--lang=X` anywhere in argv (read
// before the command line is parsed, so help texts are translated too), else the environment.
// An unknown --lang value is left for the program's own parser to reject.
Language language_from_command_line(int argc, const char* const* argv);

// The process-wide language (English until set).
void set_language(Language lang);
Language language();

// The std::locale carrying `lang`'s message catalogue.
const std::locale& locale_for(Language lang);

std::string tr(const char* msgid, Language lang);
std::string tr(const char* msgid);
std::string trn(const char* singular, const char* plural, long n, Language lang);

#ifdef WARDEN_I18N_MO_READER
namespace detail {
// Replaces {N} (and {N,options}) with args[N-1]; the template unchanged if it is malformed.
std::string substitute(std::string_view tmpl, const std::vector<std::string>& args);
template <typename T>
std::string to_text(const T& v) {
  std::ostringstream out;
  out << v;
  return out.str();
}
}  // namespace detail

template <typename... Args>
std::string trf_in(Language lang, const char* msgid, const Args&... args) {
  return detail::substitute(tr(msgid, lang), {detail::to_text(args)...});
}
template <typename... Args>
std::string trf(const char* msgid, const Args&... args) {
  return trf_in(language(), msgid, args...);
}
template <typename... Args>
std::string trnf_in(Language lang, const char* singular, const char* plural, long n,
                    const Args&... args) {
  return detail::substitute(trn(singular, plural, n, lang),
                            {detail::to_text(n), detail::to_text(args)...});
}
template <typename... Args>
std::string trnf(const char* singular, const char* plural, long n, const Args&... args) {
  return trnf_in(language(), singular, plural, n, args...);
}
#else
// tr() then Boost.Locale format with the arguments. A malformed translation falls back to the
// English text rather than throw.
template <typename... Args>
std::string trf_in(Language lang, const char* msgid, const Args&... args) {
  const std::locale& loc = locale_for(lang);
  try {
    boost::locale::format f(tr(msgid, lang));
    (f % ... % args);
    std::string out = f.str(loc);
    if (out.empty() && *msgid != '\0') return msgid;  // a malformed message renders nothing
    return out;
  } catch (const std::exception&) {
    try {
      boost::locale::format f(msgid);
      (f % ... % args);
      return f.str(loc);
    } catch (const std::exception&) {
      return msgid;
    }
  }
}
template <typename... Args>
std::string trf(const char* msgid, const Args&... args) {
  return trf_in(language(), msgid, args...);
}
// Plural: trn() then format with `n` as {1} and the rest as {2}, {3}, ...
template <typename... Args>
std::string trnf_in(Language lang, const char* singular, const char* plural, long n,
                    const Args&... args) {
  const std::locale& loc = locale_for(lang);
  try {
    boost::locale::format f(trn(singular, plural, n, lang));
    f % n;
    (f % ... % args);
    return f.str(loc);
  } catch (const std::exception&) {
    return n == 1 ? singular : plural;
  }
}
template <typename... Args>
std::string trnf(const char* singular, const char* plural, long n, const Args&... args) {
  return trnf_in(language(), singular, plural, n, args...);
}

#endif

// Marks a string for extraction (xgettext -k N_) where it is translated later, e.g. in a table.
constexpr const char* N_(const char* msgid) {
  return msgid;
}

}  // namespace warden::i18n
