// common/files.hpp on Windows. Paths are wide (std::filesystem::path is UTF-16 there), so the
// Win32 W functions are used throughout. POSIX modes do not exist; a mode without group or other
// bits (0700 directories, 0600 files: the agent's state directory and its keys) becomes a
// protected DACL instead: SYSTEM and Administrators full control, nothing inherited from the parent
// (C:\ProgramData lets every user create files in new subdirectories), and for a directory
// inherited by everything created inside it. A directory gets it when created (CreateDirectoryW
// with the security descriptor, so there is no moment with the parent's ACL) and again whenever
// ensure_dir() finds it existing; a private file is created with it. Other modes leave the
// inherited ACL (inside the state directory: the same SYSTEM and Administrators). mode_of()
// reports 0600 for an existing file.
#include <aclapi.h>
#include <sddl.h>

#include <optional>
#include <stdexcept>

#include "common/files.hpp"
#include "common/win32.hpp"

namespace warden::files {

namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p, DWORD code) {
  throw std::runtime_error(what + " " + win32::utf8(p.native()) + ": " + win32::error_text(code));
}

bool is_private(unsigned mode) {
  return (mode & 077) == 0;
}

// SYSTEM (SY) and the Administrators group (BA) full control (FA); P: protected from inheritance;
// OICI: inherited by files and subdirectories.
constexpr wchar_t kPrivateDirSddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
constexpr wchar_t kPrivateFileSddl[] = L"D:P(A;;FA;;;SY)(A;;FA;;;BA)";

class PrivateSecurity {
 public:
  explicit PrivateSecurity(const wchar_t* sddl) {
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd_, nullptr))
      throw std::runtime_error("ConvertStringSecurityDescriptorToSecurityDescriptorW: " +
                               win32::error_text(GetLastError()));
    attributes_.nLength = sizeof attributes_;
    attributes_.lpSecurityDescriptor = sd_;
    attributes_.bInheritHandle = FALSE;
  }
  PrivateSecurity(const PrivateSecurity&) = delete;
  PrivateSecurity& operator=(const PrivateSecurity&) = delete;
  ~PrivateSecurity() { LocalFree(sd_); }
  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }
  PACL dacl() const {
    BOOL present = FALSE, defaulted = FALSE;
    PACL acl = nullptr;
    if (!GetSecurityDescriptorDacl(sd_, &present, &acl, &defaulted) || !present || acl == nullptr)
      throw std::runtime_error("GetSecurityDescriptorDacl: " + win32::error_text(GetLastError()));
    return acl;
  }

 private:
  PSECURITY_DESCRIPTOR sd_ = nullptr;
  SECURITY_ATTRIBUTES attributes_{};
};
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

void write_atomic(const std::filesystem::path& path, const std::string& data, unsigned mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(GetCurrentProcessId());
  std::optional<PrivateSecurity> security;
  if (is_private(mode)) security.emplace(kPrivateFileSddl);
  // The file keeps its security descriptor when renamed onto `path`.
  DeleteFileW(tmp.c_str());  // CREATE_ALWAYS would keep an existing file's ACL
  HANDLE h = CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, security ? security->attributes() : nullptr,
                         CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
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

namespace {
bool is_reparse_point(const std::filesystem::path& p) {
  DWORD attrs = GetFileAttributesW(p.c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
}

// A junction or symbolic link planted where the agent keeps its keys would send them, and the
// access control list set below, wherever it points.
void refuse_reparse_point(const std::filesystem::path& p) {
  if (is_reparse_point(p))
    throw std::runtime_error(win32::utf8(p.native()) +
                             " is a junction or symbolic link: refusing it as a private directory");
}
}  // namespace

void ensure_dir(const std::filesystem::path& path, unsigned mode) {
  std::error_code ec;
  if (!is_private(mode)) {
    std::filesystem::create_directories(path, ec);
    if (ec)
      throw std::runtime_error("cannot create directory " + win32::utf8(path.native()) + ": " +
                               ec.message());
    return;
  }
  PrivateSecurity security(kPrivateDirSddl);
  // The parent too, when it is created here (C:\ProgramData\Warden for the default state
  // directory: whoever controls the parent can rename the directory away and put their own in its
  // place). An existing parent is never changed (it may be C:\), only refused if it is a link.
  auto parent = path.parent_path();
  if (!parent.empty() && parent != path) {
    if (!std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent.parent_path(), ec);
      if (!CreateDirectoryW(parent.c_str(), security.attributes()) &&
          GetLastError() != ERROR_ALREADY_EXISTS)
        fail("cannot create directory", parent, GetLastError());
    }
    refuse_reparse_point(parent);
  }
  if (CreateDirectoryW(path.c_str(), security.attributes())) return;
  DWORD err = GetLastError();
  if (err != ERROR_ALREADY_EXISTS) fail("cannot create directory", path, err);
  // Existing (created by hand, or planted by a user before the agent was installed, since
  // C:\ProgramData lets users create directories): Administrators become its owner and the
  // protected DACL replaces whatever it had; inheritable entries reach what is inside.
  refuse_reparse_point(path);
  PSECURITY_DESCRIPTOR owner_sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(L"O:BA", SDDL_REVISION_1, &owner_sd,
                                                            nullptr))
    fail("ConvertStringSecurityDescriptorToSecurityDescriptorW for", path, GetLastError());
  PSID owner = nullptr;
  BOOL defaulted = FALSE;
  GetSecurityDescriptorOwner(owner_sd, &owner, &defaulted);
  std::wstring name = path.native();
  err = SetNamedSecurityInfoW(
      name.data(), SE_FILE_OBJECT,
      OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
      owner, nullptr, security.dacl(), nullptr);
  LocalFree(owner_sd);
  if (err != ERROR_SUCCESS) fail("cannot set the owner and access control list of", path, err);
}

unsigned mode_of(const std::filesystem::path& path) {
  if (GetFileAttributesW(path.c_str()) == INVALID_FILE_ATTRIBUTES)
    fail("cannot stat", path, GetLastError());
  return 0600;
}

}  // namespace warden::files
