// English-only messages, for builds without Boost.Locale and ICU (the Windows agent: the MinGW
// dependency prefix has neither yet). tr() returns the msgid, trn() picks singular or plural by
// English rules, and trf() (i18n.hpp) substitutes {1}, {2}, ... itself. Chinese on Windows needs
// Boost.Locale and ICU cross-built into the prefix (docs/windows.md).
#include "common/i18n/i18n.hpp"

namespace warden::i18n {

const std::locale& locale_for(Language /*lang*/) {
  return std::locale::classic();
}

std::string tr(const char* msgid, Language /*lang*/) {
  return msgid;
}

std::string tr(const char* msgid) {
  return msgid;
}

std::string trn(const char* singular, const char* plural, long n, Language /*lang*/) {
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
