// `warden-agent run` on Windows: not built yet. The daemon (agent/platform/linux/daemon.cpp) is
// tied to systemd (sd_notify, the watchdog) and POSIX signals; the Windows one is a service
// (StartServiceCtrlDispatcher, SERVICE_CONTROL_STOP) around the same sweep/outbox/session loop,
// installed by the MSI. Until then `run` says so and exits 1 (docs/windows.md).
#include <stdexcept>

#include "agent/daemon.hpp"

namespace warden::agent {

int run_daemon(const DaemonOptions& /*options*/) {
  throw std::runtime_error(
      "`warden-agent run` is not available on Windows yet: the Windows service (issue 15) is not "
      "built; use `warden-agent check` for a local sweep");
}

}  // namespace warden::agent
