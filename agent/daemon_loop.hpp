// The agent daemon's loop, the same on every platform: the sweep worker, the collector session,
// the event sources, the outbox, SIGTERM/SIGINT (Ctrl-C, Ctrl-Break on Windows consoles). The
// platform's run_daemon() (agent/platform/<platform>/daemon.cpp) wraps it: systemd notifications on
// Linux, the service control manager on Windows.
#pragma once

#include <functional>

#include "agent/daemon.hpp"

namespace warden::agent {

struct DaemonHooks {
  std::function<void()> ready;        // the session and the first sweep are started
  std::function<void()> stopping;     // a stop was requested (signal or `stop` below)
  std::function<void()> after_sweep;  // on the sweep thread, after each sweep
  // Called once before the loop runs with a function that stops it from any thread (the Windows
  // service's SERVICE_CONTROL_STOP handler).
  std::function<void(std::function<void()> stop)> started;
};

// Runs until a signal or `stop`. Returns the process exit code.
int run_agent_loop(const DaemonOptions& options, const DaemonHooks& hooks);

}  // namespace warden::agent
