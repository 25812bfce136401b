// Messages for builds without Boost.Locale and ICU (the Windows agent: the MinGW dependency
// prefix has neither): the same embedded zh_CN catalogue the Linux build reads through
// Boost.Locale (msgfmt output of common/i18n/po/*.zh_CN.po), read by MoCatalog. tr() and trn()
// look the msgid up (the msgid itself when English or untranslated), and trf() (i18n.hpp)
// substitutes {1}, {2}, ... itself (Boost.Locale's {N,options} number formats are ignored).
#include <exception>

#include "common/i18n/i18n.hpp"
#include "common/i18n/mo_catalog.hpp"

namespace warden::embedded {
extern const std::string_view zh_CN_mo;  // msgfmt output of common/i18n/po/*.zh_CN.po
}

namespace warden::i18n {

namespace {
const MoCatalog* zh_catalog() {
  // Parsed once, on first use; a damaged catalogue (a build error) means English, not a crash.
  static const MoCatalog* const catalog = []() -> const MoCatalog* {
    try {
      static const MoCatalog c = MoCatalog::parse(embedded::zh_CN_mo);
      return &c;
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  return catalog;
}
}  // namespace

const std::locale& locale_for(Language /*lang*/) {
  return std::locale::classic();
}

std::string tr(const char* msgid, Language lang) {
  if (lang == Language::en) return msgid;
  const MoCatalog* c = zh_catalog();
  auto found = c ? c->find(msgid) : std::nullopt;
  return found ? std::string(*found) : std::string(msgid);
}

std::string tr(const char* msgid) {
  return tr(msgid, language());
}

std::string trn(const char* singular, const char* plural, long n, Language lang) {
  if (lang != Language::en) {
    const MoCatalog* c = zh_catalog();
    if (auto found = c ? c->find_plural(singular, n) : std::nullopt) return std::string(*found);
  }
  return n == 1 ? singular : plural;
}

namespace detail {

std::string substitute(std::string_view tmpl, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(tmpl.size());
  for (size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '{') {  // "{{" is a literal '{'
      out += '{';
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    auto close = tmpl.find('}', i);
    if (close == std::string_view::npos) return std::string(tmpl);  // malformed: as it is
    // "{N}" or "{N,options}": Boost.Locale's options (number formats) are ignored here.
    std::string_view spec = tmpl.substr(i + 1, close - i - 1);
    spec = spec.substr(0, spec.find(','));
    size_t index = 0;
    bool ok = !spec.empty();
    for (char d : spec) {
      if (d < '0' || d > '9' || index > 1000) {
        ok = false;
        break;
      }
      index = index * 10 + static_cast<size_t>(d - '0');
    }
    if (!ok || index == 0 || index > args.size()) return std::string(tmpl);
    out += args[index - 1];
    i = close;
  }
  return out;
}

}  // namespace detail

}  // namespace warden::i18n
