// The agent's side of the stream: connects with mutual TLS, says hello, sends everything in the
// outbox the collector has not committed, drops what it acknowledges, hands sweep requests and
// policies to the daemon, sends heartbeats, and reconnects with backoff when the stream breaks.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "agent/agent_state.hpp"
#include "agent/backoff.hpp"
#include "agent/outbox.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::agent {

struct SessionCallbacks {
  std::function<void(uint64_t sweep_id, uint32_t start_delay_ms)> on_sweep;
  std::function<void(uint64_t version, const std::string& policy_json)> on_policy;
  std::function<v1::HostInfo()> host_info;
  std::function<uint64_t()> policy_version;
};

struct SessionOptions {
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{60000};
  std::chrono::seconds heartbeat{60};
  size_t send_batch = 256;  // messages sent per wake-up: bounds the resend rate after an outage
  // Renew the client certificate when less than this is left (or a third of its lifetime).
  std::chrono::seconds renew_before{std::chrono::hours(24 * 30)};
};

class CollectorSession {
 public:
  CollectorSession(const AgentState& state, Outbox& outbox, SessionCallbacks callbacks,
                   SessionOptions options = {});
  ~CollectorSession();
  void start();
  void stop();
  // New messages are in the outbox.
  void notify();
  bool connected() const { return connected_; }

 private:
  void run();
  bool run_once();  // one connection; returns true if it got as far as a hello ack

  const AgentState& state_;
  Outbox& outbox_;
  SessionCallbacks callbacks_;
  SessionOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  std::function<void()> cancel_;  // cancels the current call
  size_t current_ = 0;            // which collector of the enrollment's list (session thread)
  size_t address_count_ = 1;
  size_t failures_in_round_ = 0;
  std::thread thread_;
};

}  // namespace warden::agent
