#include "agent/daemon_loop.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>

#include "agent/agent_state.hpp"
#include "agent/collector_session.hpp"
#include "agent/host/host_info_probe.hpp"
#include "agent/module_registry.hpp"
#include "agent/outbox.hpp"
#include "agent/report_builder.hpp"
#include "agent/sweep_runner.hpp"
#include "common/entry_point.hpp"
#include "common/log.hpp"
#include "common/version.hpp"

namespace warden::agent {

int run_agent_loop(const DaemonOptions& options, const DaemonHooks& hooks) {
  AgentState state(options.state_dir);
  Enrollment enrollment = state.load_enrollment();
  Outbox outbox(state.outbox_path().string());

  std::mutex policy_mu;
  AgentPolicy policy = state.load_policy();
  auto current_policy = [&] {
    std::lock_guard lock(policy_mu);
    return policy;
  };

  ProbeContext ctx = options.probe_context;
  ctx.state_dir = options.state_dir;
  auto modules = make_check_modules(ctx);
  auto sources = make_event_sources(ctx);

  boost::asio::io_context io;
  boost::asio::thread_pool sweeper(1);  // sweeps are serialised: modules need not be thread-safe
  std::unique_ptr<CollectorSession> session;

  auto run_and_queue = [&](uint64_t sweep_id) {
    boost::asio::post(sweeper, [&, sweep_id] {
      guarded("sweep", [&] {
        auto p = current_policy();
        auto result = run_sweep(modules, p);
        uint64_t seq = outbox.append(build_report(result, sweep_id, p.version));
        if (hooks.after_sweep) hooks.after_sweep();
        LOG_INFO("agent", "sweep " << sweep_id << " done: " << result.findings.size()
                                   << " findings, queued as seq " << seq);
      });
      session->notify();
    });
  };

  SessionCallbacks callbacks;
  callbacks.on_sweep = [&](uint64_t sweep_id, uint32_t delay_ms) {
    if (delay_ms == 0) return run_and_queue(sweep_id);
    // Spread: the collector asked this agent to start a little later than the rest.
    auto timer =
        std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(delay_ms));
    timer->async_wait([&, timer, sweep_id](const boost::system::error_code& ec) {
      if (!ec) guarded("sweep", [&] { run_and_queue(sweep_id); });
    });
  };
  callbacks.on_policy = [&](uint64_t version, const std::string& text) {
    try {
      auto j = nlohmann::json::parse(text);
      auto p = parse_agent_policy(j, false);
      p.version = version;
      state.save_policy(to_json(p));
      {
        std::lock_guard lock(policy_mu);
        policy = p;
      }
      boost::asio::post(io, [&, p] {
        for (auto& s : sources) s->set_policy(p);
      });
      LOG_INFO("agent", "applied policy version " << version);
    } catch (const std::exception& e) {
      LOG_WARN("agent", "ignoring policy version " << version << ": " << e.what());
    }
  };
  callbacks.host_info = [&] {
    v1::HostInfo info;
    to_proto(probe_host_info(ctx.root), &info);
    return info;
  };
  callbacks.policy_version = [&] { return current_policy().version; };
  SessionOptions session_options;
  session_options.heartbeat = std::chrono::seconds(current_policy().heartbeat_interval_seconds);
  session_options.backoff_base = options.reconnect_base;
  session_options.backoff_cap = options.reconnect_max;
  session_options.renew_before = options.renew_before;
  session = std::make_unique<CollectorSession>(state, outbox, callbacks, session_options);

  for (auto& source : sources) {
    try {
      source->set_policy(current_policy());
      source->start(io, [&, name = source->name()](AgentEvent event) {
        // An event that cannot be queued is lost, not the daemon (the next sweep reports state).
        if (guarded(name, [&] { outbox.append(build_event(event)); })) session->notify();
      });
    } catch (const std::exception& e) {
      LOG_WARN("agent", "event source " << source->name() << " unavailable: " << e.what());
    }
  }

  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    LOG_INFO("agent", "stopping (signal " << sig << ")");
    if (hooks.stopping) hooks.stopping();
    for (auto& s : sources) s->stop();
    io.stop();
  });
  if (hooks.started)
    hooks.started([&] {
      boost::asio::post(io, [&] {
        LOG_INFO("agent", "stopping (stop requested)");
        if (hooks.stopping) hooks.stopping();
        for (auto& s : sources) s->stop();
        io.stop();
      });
    });

  session->start();
  if (options.sweep_on_start) run_and_queue(0);
  LOG_INFO("agent", "warden-agent " << kVersion << " running as " << enrollment.agent_id << " for "
                                    << enrollment.collector << " (" << outbox.depth()
                                    << " message(s) waiting in the outbox)");
  if (hooks.ready) hooks.ready();
  io.run();
  sweeper.join();
  session->stop();
  return 0;
}

}  // namespace warden::agent
