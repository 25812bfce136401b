// warden-msi-ca.dll: the MSI's custom actions (deploy/windows/warden-agent.wxs; in the package's
// Binary table, never installed), deferred and not impersonated, i.e. run as LocalSystem:
//
// - WardenQuoteServicePath (after InstallServices): rewrites the WardenAgent service's ImagePath
//   with the executable's path quoted (agent/platform/service_image_path.hpp) before the service is
//   ever started. wixl has no way to say it and Wine's msi writes it unquoted.
// - WardenEnroll (before StartServices): runs `warden-agent.exe enroll --token-file -` and writes
//   the enrollment token (from TOKEN_FILE, read here as LocalSystem, or from TOKEN) to its
//   standard input, so the token is never on the child's command line (which any user can read
//   from the process list) nor copied into a file or registry value. With TOKEN_FILE it is not on
//   msiexec's command line either. The child's output goes to the installer's log.
// - WardenWaitServiceExit (on removal, after StopServices, before RemoveFiles): waits until the
//   stopped service's process has exited.
//
// The only input of a deferred action is its CustomActionData (set by an immediate type-51 action
// of the same name; `MsiHiddenProperties` names both, so Windows Installer does not log it). Every
// failure is logged with the Win32 text and fails the installation (Return="check"): an
// unquoted service path or a service started without an identity must not pass silently.
// Nothing throws out of an exported function.
#include <windows.h>

#include <msi.h>
#include <msiquery.h>
#include <tlhelp32.h>

#include <algorithm>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agent/platform/msi_enroll_data.hpp"
#include "agent/platform/windows/service_config.hpp"
#include "common/win32.hpp"

namespace {

using namespace warden;

void log(MSIHANDLE install, const std::string& text) {
  PMSIHANDLE rec = MsiCreateRecord(1);
  MsiRecordSetStringW(rec, 0, win32::wide("warden: " + text).c_str());
  MsiProcessMessage(install, INSTALLMESSAGE_INFO, rec);
}

std::string custom_action_data(MSIHANDLE install) {
  DWORD n = 0;
  wchar_t empty[1] = L"";
  UINT rc = MsiGetPropertyW(install, L"CustomActionData", empty, &n);
  if (rc != ERROR_MORE_DATA && rc != ERROR_SUCCESS)
    win32::fail("MsiGetPropertyW(CustomActionData)", rc);
  if (n > 65536) throw std::runtime_error("CustomActionData is longer than 65536 characters");
  std::wstring w(static_cast<size_t>(n) + 1, L'\0');
  DWORD size = n + 1;
  rc = MsiGetPropertyW(install, L"CustomActionData", w.data(), &size);
  if (rc != ERROR_SUCCESS) win32::fail("MsiGetPropertyW(CustomActionData)", rc);
  w.resize(std::min<size_t>(size, w.size()));
  return win32::utf8(std::wstring_view(w));
}

struct Handle {
  HANDLE h = nullptr;
  Handle() = default;
  explicit Handle(HANDLE v) : h(v) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (h != nullptr && h != INVALID_HANDLE_VALUE) CloseHandle(h);
    h = nullptr;
  }
};

void quote_service_path(MSIHANDLE install) {
  std::string exe = custom_action_data(install);
  if (auto fixed = agent::quote_service_image_path(exe))
    log(install, "service ImagePath quoted: " + *fixed);
  else
    log(install, "service ImagePath already quoted (or not ours): left as it is");
}

// TOKEN_FILE, read as LocalSystem (bounded: a token is at most 4 KiB). Not deleted: one file on a
// deployment share may serve many PCs; the administrator removes it (docs/windows.md).
std::string read_token_file(const std::string& path) {
  Handle h(CreateFileW(win32::wide(path).c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (h.h == INVALID_HANDLE_VALUE) win32::fail("cannot open TOKEN_FILE " + path, GetLastError());
  std::string content;
  char buf[4096];
  DWORD n = 0;
  while (content.size() <= 8192 && ReadFile(h.h, buf, sizeof buf, &n, nullptr) && n > 0)
    content.append(buf, n);
  return content;
}

void enroll(MSIHANDLE install) {
  agent::MsiEnrollData data = agent::parse_msi_enroll_data(custom_action_data(install));
  if (!data.token_file.empty())
    data.token = agent::msi_token_from_file(read_token_file(data.token_file));
  std::string cmd = agent::msi_enroll_command_line(data);
  log(install, "running " + cmd + " (the token on its standard input" +
                   (data.token_file.empty() ? std::string(", from TOKEN)")
                                            : ", from TOKEN_FILE " + data.token_file + ")"));

  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  Handle in_read, in_write, out_read, out_write;
  if (!CreatePipe(&in_read.h, &in_write.h, &inherit, 0)) win32::fail("CreatePipe", GetLastError());
  if (!CreatePipe(&out_read.h, &out_write.h, &inherit, 0))
    win32::fail("CreatePipe", GetLastError());
  // Our ends must not be inherited, or the child would hold its own stdin open (no EOF).
  SetHandleInformation(in_write.h, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(out_read.h, HANDLE_FLAG_INHERIT, 0);

  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in_read.h;
  si.hStdOutput = out_write.h;
  si.hStdError = out_write.h;
  PROCESS_INFORMATION pi{};
  std::wstring wcmd = win32::wide(cmd);
  std::wstring wexe = win32::wide(data.exe_path);
  if (!CreateProcessW(wexe.c_str(), wcmd.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW, nullptr,
                      nullptr, &si, &pi))
    win32::fail("CreateProcessW(" + data.exe_path + ")", GetLastError());
  Handle process(pi.hProcess), thread(pi.hThread);
  in_read.reset();
  out_write.reset();

  std::string token = data.token + "\n";
  DWORD written = 0;
  BOOL wrote =
      WriteFile(in_write.h, token.data(), static_cast<DWORD>(token.size()), &written, nullptr);
  DWORD write_error = wrote ? NO_ERROR : GetLastError();
  SecureZeroMemory(token.data(), token.size());
  SecureZeroMemory(data.token.data(), data.token.size());
  in_write.reset();  // EOF: `--token-file -` reads to the end

  // The child's output, bounded (the last 8 KiB are kept), drained by a thread so that a child
  // that hangs cannot hang the installer: after 5 minutes it is ended, which closes the pipe.
  std::string output;
  std::thread reader([&output, pipe = out_read.h] {
    char buf[4096];
    DWORD n = 0;
    while (ReadFile(pipe, buf, sizeof buf, &n, nullptr) && n > 0) {
      output.append(buf, n);
      if (output.size() > 8192) output.erase(0, output.size() - 8192);
    }
  });
  bool finished = WaitForSingleObject(process.h, 300000) == WAIT_OBJECT_0;
  if (!finished) {
    TerminateProcess(process.h, 1);
    WaitForSingleObject(process.h, 10000);
  }
  reader.join();
  if (!finished) {
    if (!output.empty()) log(install, "enroll: " + output);
    throw std::runtime_error("warden-agent.exe enroll did not finish within 5 minutes");
  }
  DWORD code = 1;
  if (!GetExitCodeProcess(process.h, &code)) win32::fail("GetExitCodeProcess", GetLastError());
  if (!output.empty()) log(install, "enroll: " + output);
  if (write_error != NO_ERROR)
    win32::fail("WriteFile(the token to enroll's standard input)", write_error);
  if (code != 0)
    throw std::runtime_error("warden-agent.exe enroll exited with " + std::to_string(code));
  log(install, "enrolled");
}

// On removal, after StopServices: waits (at most 30 s) until no process runs the installed
// warden-agent.exe, so RemoveFiles does not find it in use. A service may still be finishing
// after it was asked to stop (Wine's StopServices does not wait at all; the file is then left for
// a reboot). Processes are matched by their full image path, not by name.
void wait_service_exit(MSIHANDLE install) {
  std::wstring exe = win32::wide(custom_action_data(install));
  ULONGLONG deadline = GetTickCount64() + 30000;
  int waited = 0;
  for (;;) {
    Handle snap(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (snap.h == INVALID_HANDLE_VALUE) win32::fail("CreateToolhelp32Snapshot", GetLastError());
    PROCESSENTRY32W pe{};
    pe.dwSize = sizeof pe;
    std::vector<DWORD> running;
    for (BOOL ok = Process32FirstW(snap.h, &pe); ok; ok = Process32NextW(snap.h, &pe)) {
      if (_wcsicmp(pe.szExeFile, L"warden-agent.exe") != 0) continue;
      Handle p(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pe.th32ProcessID));
      if (p.h == nullptr) continue;
      wchar_t path[MAX_PATH * 4];
      DWORD n = static_cast<DWORD>(std::size(path));
      if (QueryFullProcessImageNameW(p.h, 0, path, &n) && _wcsicmp(path, exe.c_str()) == 0)
        running.push_back(pe.th32ProcessID);
    }
    if (running.empty()) break;
    if (GetTickCount64() >= deadline) {
      log(install, "warden-agent.exe still running after 30 s (" + std::to_string(running.size()) +
                       " process(es)): it will be removed at the next restart");
      return;
    }
    for (DWORD pid : running) {
      Handle p(OpenProcess(SYNCHRONIZE, FALSE, pid));
      if (p.h != nullptr) WaitForSingleObject(p.h, 1000);
    }
    ++waited;
  }
  if (waited > 0) log(install, "waited for warden-agent.exe to exit");
}

UINT guarded(MSIHANDLE install, const char* name, void (*action)(MSIHANDLE)) {
  try {
    action(install);
    return ERROR_SUCCESS;
  } catch (const std::exception& e) {
    try {
      log(install, std::string(name) + " failed: " + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  return ERROR_INSTALL_FAILURE;
}

}  // namespace

extern "C" __declspec(dllexport) UINT __stdcall WardenQuoteServicePath(MSIHANDLE install) {
  return guarded(install, "WardenQuoteServicePath", quote_service_path);
}

extern "C" __declspec(dllexport) UINT __stdcall WardenWaitServiceExit(MSIHANDLE install) {
  return guarded(install, "WardenWaitServiceExit", wait_service_exit);
}

extern "C" __declspec(dllexport) UINT __stdcall WardenEnroll(MSIHANDLE install) {
  return guarded(install, "WardenEnroll", enroll);
}
