// `warden-agent run`: the long-running agent. One Boost.Asio io_context drives event sources
// (rtnetlink, udev) and timers; sweeps run one at a time on a worker thread; the collector
// session runs on its own thread. Everything outgoing goes through the outbox.
#pragma once

#include <chrono>
#include <filesystem>

#include "agent/check_module.hpp"

namespace warden::agent {

struct DaemonOptions {
  std::filesystem::path state_dir;
  ProbeContext probe_context;
  bool sweep_on_start = true;
  std::chrono::milliseconds reconnect_base{1000};
  std::chrono::milliseconds reconnect_max{60000};
  std::chrono::seconds renew_before{std::chrono::hours(24 * 30)};
};

// Runs until SIGTERM/SIGINT. Returns the process exit code.
int run_daemon(const DaemonOptions& options);

}  // namespace warden::agent
