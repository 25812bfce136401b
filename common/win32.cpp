#include "common/win32.hpp"

#include <stdexcept>
#include <vector>

#include "common/text.hpp"

namespace warden::win32 {

static_assert(sizeof(wchar_t) == sizeof(char16_t), "Windows wide strings are UTF-16");

std::string utf8(std::wstring_view w) {
  return text::utf16_to_utf8(
      std::u16string_view(reinterpret_cast<const char16_t*>(w.data()), w.size()));
}

std::string utf8(const wchar_t* w, size_t max_chars) {
  if (w == nullptr) return {};
  size_t n = 0;
  while (n < max_chars && w[n] != L'\0') ++n;
  return utf8(std::wstring_view(w, n));
}

std::wstring wide(std::string_view s) {
  if (s.empty()) return {};
  const std::string valid = text::valid_utf8(s);
  int n = MultiByteToWideChar(CP_UTF8, 0, valid.data(), static_cast<int>(valid.size()), nullptr, 0);
  if (n <= 0) return {};
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, valid.data(), static_cast<int>(valid.size()), out.data(), n);
  return out;
}

std::string error_text(DWORD code) {
  wchar_t* buf = nullptr;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), reinterpret_cast<wchar_t*>(&buf), 0,
      nullptr);
  std::string msg = n > 0 ? utf8(std::wstring_view(buf, n)) : std::string();
  if (buf != nullptr) LocalFree(buf);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r' || msg.back() == ' '))
    msg.pop_back();
  if (msg.empty()) msg = "unknown error";
  return msg + " (Win32 error " + std::to_string(code) + ")";
}

void fail(const std::string& what, DWORD code) {
  throw std::runtime_error(what + ": " + error_text(code));
}

namespace {

std::string key_name(HKEY root, const wchar_t* subkey, const wchar_t* value) {
  std::string r = root == HKEY_LOCAL_MACHINE ? "HKLM" : root == HKEY_CURRENT_USER ? "HKCU" : "HK?";
  return r + "\\" + utf8(subkey) + "\\" + utf8(value);
}

// An open key in the 64-bit registry view (KEY_WOW64_64KEY: the same key from a 32-bit build;
// RegGetValueW's RRF_SUBKEY_WOW6464KEY would need Windows 10 and Wine rejects it).
class Key {
 public:
  Key(HKEY root, const wchar_t* subkey, const wchar_t* value) {
    rc_ = RegOpenKeyExW(root, subkey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key_);
    name_ = key_name(root, subkey, value);
  }
  ~Key() {
    if (rc_ == ERROR_SUCCESS) RegCloseKey(key_);
  }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  LSTATUS status() const { return rc_; }
  HKEY get() const { return key_; }
  const std::string& name() const { return name_; }

 private:
  HKEY key_ = nullptr;
  LSTATUS rc_ = ERROR_SUCCESS;
  std::string name_;
};

bool missing(LSTATUS rc) {
  return rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND;
}

}  // namespace

std::optional<std::string> reg_string(HKEY root, const wchar_t* subkey, const wchar_t* value) {
  Key key(root, subkey, value);
  if (missing(key.status())) return std::nullopt;
  if (key.status() != ERROR_SUCCESS)
    fail("opening " + key.name(), static_cast<DWORD>(key.status()));
  // RRF_RT_REG_SZ also takes REG_EXPAND_SZ values, expanded (RRF_RT_REG_EXPAND_SZ without
  // RRF_NOEXPAND is ERROR_INVALID_PARAMETER).
  const DWORD flags = RRF_RT_REG_SZ;
  DWORD bytes = 0;
  LSTATUS rc = RegGetValueW(key.get(), nullptr, value, flags, nullptr, nullptr, &bytes);
  for (int attempt = 0; attempt < 4 && (rc == ERROR_SUCCESS || rc == ERROR_MORE_DATA); ++attempt) {
    std::vector<wchar_t> buf(bytes / sizeof(wchar_t) + 1, L'\0');
    DWORD size = static_cast<DWORD>(buf.size() * sizeof(wchar_t));
    rc = RegGetValueW(key.get(), nullptr, value, flags, nullptr, buf.data(), &size);
    if (rc == ERROR_SUCCESS) return utf8(buf.data(), buf.size());
    bytes = size;
  }
  if (missing(rc)) return std::nullopt;
  fail("reading " + key.name(), static_cast<DWORD>(rc));
}

std::optional<DWORD> reg_dword(HKEY root, const wchar_t* subkey, const wchar_t* value) {
  Key key(root, subkey, value);
  if (missing(key.status())) return std::nullopt;
  if (key.status() != ERROR_SUCCESS)
    fail("opening " + key.name(), static_cast<DWORD>(key.status()));
  DWORD v = 0, size = sizeof v;
  LSTATUS rc = RegGetValueW(key.get(), nullptr, value, RRF_RT_REG_DWORD, nullptr, &v, &size);
  if (rc == ERROR_SUCCESS) return v;
  if (missing(rc)) return std::nullopt;
  fail("reading " + key.name(), static_cast<DWORD>(rc));
}

}  // namespace warden::win32
