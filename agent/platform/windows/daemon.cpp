// `warden-agent run` on Windows: the shared loop (agent/daemon_loop.hpp), as a Windows service when
// the service control manager started the process (ServiceMain: SERVICE_RUNNING once the loop is
// up, SERVICE_CONTROL_STOP/SHUTDOWN stop it, SERVICE_STOPPED with the exit code), else in the
// console (Ctrl-C stops it), which is how it runs under wine and by hand.
#include "agent/daemon.hpp"

#include <windows.h>

#include <cstdio>
#include <filesystem>
#include <iterator>
#include <mutex>

#include "agent/daemon_loop.hpp"
#include "agent/platform/windows/service_config.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

wchar_t kServiceNameBuf[] = L"WardenAgent";  // SERVICE_TABLE_ENTRYW wants it writable

struct ServiceState {
  std::mutex mu;
  const DaemonOptions* options = nullptr;
  SERVICE_STATUS_HANDLE handle = nullptr;
  std::function<void()> stop;
  int exit_code = 0;
};
ServiceState& service() {
  static ServiceState s;
  return s;
}

void report(DWORD state, DWORD exit_code = NO_ERROR, DWORD wait_hint_ms = 0) {
  SERVICE_STATUS st{};
  st.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  st.dwCurrentState = state;
  st.dwControlsAccepted =
      state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  st.dwWin32ExitCode = exit_code == NO_ERROR ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
  st.dwServiceSpecificExitCode = exit_code;
  st.dwWaitHint = wait_hint_ms;
  if (service().handle != nullptr) SetServiceStatus(service().handle, &st);
}

DWORD WINAPI control(DWORD code, DWORD /*type*/, LPVOID /*data*/, LPVOID /*ctx*/) {
  if (code == SERVICE_CONTROL_STOP || code == SERVICE_CONTROL_SHUTDOWN) {
    report(SERVICE_STOP_PENDING, NO_ERROR, 30000);
    std::lock_guard lock(service().mu);
    if (service().stop) service().stop();
    return NO_ERROR;
  }
  return code == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
}

// Recovery on failure (restart after 1 minute, three times; the count resets after a day), also
// when the service stops itself with an error rather than crashing. Set by the service on itself
// at each start because the MSI's builder (wixl) cannot express ServiceConfig; a failure is
// logged, not fatal.
void configure_recovery() {
  SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (scm == nullptr) {
    LOG_WARN("agent", "recovery actions: OpenSCManagerW: " << win32::error_text(GetLastError()));
    return;
  }
  SC_HANDLE svc = OpenServiceW(scm, kServiceName, SERVICE_CHANGE_CONFIG | SERVICE_START);
  if (svc == nullptr) {
    LOG_WARN("agent", "recovery actions: OpenServiceW: " << win32::error_text(GetLastError()));
    CloseServiceHandle(scm);
    return;
  }
  SC_ACTION actions[3] = {
      {SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}};
  SERVICE_FAILURE_ACTIONSW fa{};
  fa.dwResetPeriod = 86400;
  fa.cActions = 3;
  fa.lpsaActions = actions;
  SERVICE_FAILURE_ACTIONS_FLAG flag{};
  flag.fFailureActionsOnNonCrashFailures = TRUE;
  if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &fa))
    LOG_WARN("agent", "recovery actions: ChangeServiceConfig2W(FAILURE_ACTIONS): "
                          << win32::error_text(GetLastError()));
  else if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag))
    LOG_WARN("agent", "recovery actions: ChangeServiceConfig2W(FAILURE_ACTIONS_FLAG): "
                          << win32::error_text(GetLastError()));
  CloseServiceHandle(svc);
  CloseServiceHandle(scm);
}

// An installation whose ImagePath is unquoted (`C:\Program Files\...\warden-agent.exe run`, as
// Wine's msi writes it; the MSI's custom action already fixes that before the first start) is
// quoted for the next start. Logged, not fatal.
void quote_own_image_path() {
  wchar_t exe[MAX_PATH * 4];
  DWORD n = GetModuleFileNameW(nullptr, exe, static_cast<DWORD>(std::size(exe)));
  if (n == 0 || n >= std::size(exe)) {
    LOG_WARN("agent",
             "service ImagePath: GetModuleFileNameW: " << win32::error_text(GetLastError()));
    return;
  }
  try {
    if (auto fixed = quote_service_image_path(win32::utf8(std::wstring_view(exe, n))))
      LOG_INFO("agent", "service ImagePath quoted: " << *fixed);
  } catch (const std::exception& e) {
    LOG_WARN("agent", "service ImagePath: " << e.what());
  }
}

void WINAPI service_main(DWORD /*argc*/, LPWSTR* /*argv*/) {
  auto& s = service();
  s.handle = RegisterServiceCtrlHandlerExW(kServiceNameBuf, control, nullptr);
  if (s.handle == nullptr) {
    LOG_ERROR("agent", "RegisterServiceCtrlHandlerExW: " << win32::error_text(GetLastError()));
    s.exit_code = 1;
    return;
  }
  report(SERVICE_START_PENDING, NO_ERROR, 30000);
  // A service has no console: its log (stderr) goes to service.log in the state directory
  // (created by `enroll` with its protected DACL, common/files_windows.cpp: SYSTEM and
  // Administrators only; the log inherits it).
  std::string dir_error;
  try {
    if (!std::filesystem::exists(s.options->state_dir))
      files::ensure_dir(s.options->state_dir, 0700);
  } catch (const std::exception& e) {
    dir_error = e.what();
  }
  auto log_path = (s.options->state_dir / "service.log").wstring();
  if (_wfreopen(log_path.c_str(), L"a", stderr) != nullptr) setvbuf(stderr, nullptr, _IONBF, 0);
  if (!dir_error.empty()) LOG_WARN("agent", "state directory: " << dir_error);
  DaemonHooks hooks;
  hooks.started = [](std::function<void()> stop) {
    std::lock_guard lock(service().mu);
    service().stop = std::move(stop);
  };
  // Only once running: while the SCM's StartService waits for us it may hold its database lock,
  // which ChangeServiceConfig2W needs (under Wine the start then timed out).
  hooks.ready = [] {
    report(SERVICE_RUNNING);
    configure_recovery();
    quote_own_image_path();
  };
  int rc = 1;
  try {
    rc = run_agent_loop(*s.options, hooks);
  } catch (const std::exception& e) {
    LOG_ERROR("agent", "service stopped: " << e.what());
  }
  {
    std::lock_guard lock(s.mu);
    s.stop = nullptr;
  }
  s.exit_code = rc;
  // A non-zero exit is a failure for the service control manager: its recovery actions restart us.
  report(SERVICE_STOPPED, static_cast<DWORD>(rc));
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  service().options = &options;
  SERVICE_TABLE_ENTRYW table[] = {{kServiceNameBuf, service_main}, {nullptr, nullptr}};
  if (StartServiceCtrlDispatcherW(table)) return service().exit_code;
  DWORD err = GetLastError();
  if (err != ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
    win32::fail("StartServiceCtrlDispatcherW", err);
  // Not started by the service control manager: run in this console.
  return run_agent_loop(options, DaemonHooks{});
}

}  // namespace warden::agent
