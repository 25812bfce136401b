// common/files.hpp on Windows. Paths are wide (std::filesystem::path is UTF-16 there), so the
// Win32 W functions are used throughout. POSIX modes do not exist: the state directory is
// protected by its ACL (set by the installer; not done here yet, see docs/windows.md), so `mode`
// is ignored and mode_of() reports 0600 for an existing file.
#include <stdexcept>

#include "common/files.hpp"
#include "common/win32.hpp"

namespace warden::files {

namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p, DWORD code) {
  throw std::runtime_error(what + " " + win32::utf8(p.native()) + ": " + win32::error_text(code));
}
}  // namespace

std::string read(const std::filesystem::path& path) {
  auto content = read_if_exists(path, 256u << 20);
  if (!content) fail("cannot read", path, GetLastError());
  return *content;
}

std::optional<std::string> read_if_exists(const std::filesystem::path& path, size_t max_bytes) {
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return std::nullopt;
  std::string out;
  char buf[65536];
  while (out.size() < max_bytes) {
    DWORD n = 0;
    if (!ReadFile(h, buf, sizeof buf, &n, nullptr)) {
      CloseHandle(h);
      return std::nullopt;
    }
    if (n == 0) break;
    size_t take = std::min(static_cast<size_t>(n), max_bytes - out.size());
    out.append(buf, take);
  }
  CloseHandle(h);
  return out;
}

void write_atomic(const std::filesystem::path& path, const std::string& data, unsigned /*mode*/) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(GetCurrentProcessId());
  HANDLE h = CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) fail("cannot create", tmp, GetLastError());
  size_t off = 0;
  while (off < data.size()) {
    DWORD chunk = static_cast<DWORD>(std::min<size_t>(data.size() - off, 1u << 30));
    DWORD n = 0;
    if (!WriteFile(h, data.data() + off, chunk, &n, nullptr)) {
      DWORD code = GetLastError();
      CloseHandle(h);
      DeleteFileW(tmp.c_str());
      fail("cannot write", tmp, code);
    }
    off += n;
  }
  if (!FlushFileBuffers(h)) {
    DWORD code = GetLastError();
    CloseHandle(h);
    fail("cannot sync", tmp, code);
  }
  CloseHandle(h);
  if (!MoveFileExW(tmp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    fail("cannot rename onto", path, GetLastError());
}

void ensure_dir(const std::filesystem::path& path, unsigned /*mode*/) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec)
    throw std::runtime_error("cannot create directory " + win32::utf8(path.native()) + ": " +
                             ec.message());
}

unsigned mode_of(const std::filesystem::path& path) {
  if (GetFileAttributesW(path.c_str()) == INVALID_FILE_ATTRIBUTES)
    fail("cannot stat", path, GetLastError());
  return 0600;
}

}  // namespace warden::files
