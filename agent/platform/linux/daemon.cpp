// `warden-agent run` on Linux: the shared loop (agent/daemon_loop.hpp) with systemd's readiness
// and stopping notifications, and the sweep's freed pages given back (malloc_trim) so the daemon's
// steady memory stays small between sweeps.
#include <malloc.h>
#include <systemd/sd-daemon.h>

#include "agent/daemon.hpp"
#include "agent/daemon_loop.hpp"

namespace warden::agent {

int run_daemon(const DaemonOptions& options) {
  DaemonHooks hooks;
  hooks.ready = [] { sd_notify(0, "READY=1"); };
  hooks.stopping = [] { sd_notify(0, "STOPPING=1"); };
  hooks.after_sweep = [] { malloc_trim(0); };
  return run_agent_loop(options, hooks);
}

}  // namespace warden::agent
