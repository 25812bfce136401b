// Small text helpers shared across the code base.
//
// Strings that come from a device, the host or the network are attacker-controlled bytes: a USB
// gadget can claim any descriptor, a package any field. Before such a string is stored in a fact,
// serialised to JSON or set on a protobuf `string` field (which must be valid UTF-8), it goes
// through valid_utf8() or, where a person reads it, printable(). Both are total: no input makes
// them throw, and their output is always valid UTF-8 of at most max_bytes bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warden::text {

// Without leading and trailing spaces, tabs, CR and LF.
std::string trim(std::string_view s);
// ASCII lowercase (host names, hex digits, MAC addresses).
std::string lower(std::string_view s);
// Lowercase hex of bytes (digests, random identifiers): two digits per byte.
std::string hex(std::string_view bytes);

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// `s` as valid UTF-8: every maximal ill-formed subsequence becomes U+FFFD (the Unicode
// "substitution of maximal subparts" practice), and the result is cut to at most max_bytes on a
// character boundary, never inside a multibyte character.
std::string valid_utf8(std::string_view s, size_t max_bytes = std::string_view::npos);

// valid_utf8(), and for a value a person reads on one line (device names, host names, package
// fields): control characters (C0 including tab/CR/LF, DEL, C1, and the line/paragraph
// separators U+2028/U+2029) are dropped, and leading/trailing spaces trimmed.
std::string printable(std::string_view s, size_t max_bytes = std::string_view::npos);

// Terminal columns `s` takes: East Asian Wide and Fullwidth characters (CJK) count two, combining
// marks and other zero-width characters none, the rest one (Unicode UAX #11 via ICU). Invalid
// UTF-8 counts one column per replacement character, as terminals show it.
size_t display_width(std::string_view s);

// UTF-16 (Windows' wide strings) to UTF-8. Total: an unpaired surrogate becomes U+FFFD; stops at
// the end of the view (embedded NULs are kept).
std::string utf16_to_utf8(std::u16string_view s);

}  // namespace warden::text
