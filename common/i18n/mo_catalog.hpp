#pragma once
// A GNU gettext .mo catalogue read without Boost.Locale: the same msgfmt output the Linux build
// gives Boost.Locale (common/i18n/po/*.zh_CN.po, embedded), looked up by msgid. Used where
// Boost.Locale is not built (the Windows agent: common/i18n/i18n_mo.cpp). Every offset and length
// in the file is checked against its size; a malformed file is an exception, never a read past it.
// Contexts (msgctxt) are not used by Warden and not looked up.
#include <optional>
#include <string_view>
#include <unordered_map>

namespace warden::i18n {

class MoCatalog {
 public:
  // `bytes` must outlive the catalogue (the entries point into it). Throws std::invalid_argument
  // on a malformed file.
  static MoCatalog parse(std::string_view bytes);

  std::optional<std::string_view> find(std::string_view msgid) const;
  // The plural form for n, by the header's Plural-Forms: one form (Chinese: nplurals=1), or
  // English-like rules (form 0 for n == 1, else form 1) for any other.
  std::optional<std::string_view> find_plural(std::string_view singular, long n) const;
  size_t size() const { return entries_.size(); }
  int nplurals() const { return nplurals_; }

 private:
  std::unordered_map<std::string_view, std::string_view> entries_;  // msgid (singular) -> msgstr
  int nplurals_ = 2;
};

}  // namespace warden::i18n
