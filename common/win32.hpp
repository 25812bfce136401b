// Win32 helpers for the Windows build (compiled only there): UTF-16 <-> UTF-8, error texts, and
// registry strings. Every failure becomes a std::runtime_error carrying the system's own message
// (FormatMessageW) and the error code, never a crash or a silent default.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <optional>
#include <string>
#include <string_view>

namespace warden::win32 {

// UTF-16 to UTF-8; unpaired surrogates become U+FFFD (text::utf16_to_utf8).
std::string utf8(std::wstring_view w);
// A NUL-terminated wide buffer (nullptr is ""), bounded by `max_chars`.
std::string utf8(const wchar_t* w, size_t max_chars = 32768);
// UTF-8 to UTF-16 (invalid input becomes U+FFFD).
std::wstring wide(std::string_view s);

// "The system cannot find the file specified. (Win32 error 2)".
std::string error_text(DWORD code);
// Throws std::runtime_error("<what>: <error_text(code)>").
[[noreturn]] void fail(const std::string& what, DWORD code);

// A REG_SZ (or REG_EXPAND_SZ, expanded) value from the 64-bit view; nullopt when the key or value
// is missing, throws (naming key and value) on any other failure.
std::optional<std::string> reg_string(HKEY root, const wchar_t* subkey, const wchar_t* value);
// A REG_DWORD value, same rules.
std::optional<DWORD> reg_dword(HKEY root, const wchar_t* subkey, const wchar_t* value);

}  // namespace warden::win32
