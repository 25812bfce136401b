// What the collector tells agents to do: policy pushes (on connect and whenever a policy or the
// USB registry changes), sweeps (on demand, scheduled by policy with a start spread, and caught up
// by hosts that were offline), and background retention of old rows.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "collector/cluster/fleet_cluster.hpp"
#include "collector/database/store.hpp"
#include "collector/session_registry.hpp"
#include "common/clock.hpp"

namespace warden::collector {

struct FleetOptions {
  int retention_days = 180;  // events, history, reports, audit
  std::chrono::seconds scheduler_tick{20};
  std::chrono::seconds retention_interval{3600};
  int64_t catch_up_window_ms = 7LL * 86400000;  // missed sweeps younger than this are run on return
};

struct SweepStarted {
  uint64_t sweep_id = 0;
  uint32_t asked = 0;
  uint32_t deferred = 0;
};

class FleetControl {
 public:
  // `cluster`: the other collectors on the same database, if any (nullptr: this one alone).
  FleetControl(Store& store, SessionRegistry& registry, FleetOptions options = {},
               const Clock& clock = system_clock(), FleetCluster* cluster = nullptr);
  ~FleetControl();
  void start();  // scheduler and retention threads
  void stop();

  // A session said hello: bring its policy up to date and hand it sweeps it missed.
  void on_agent_connected(int64_t host_id, uint64_t agent_policy_version, SessionLink& link);
  // Sends every connected agent its current policy (and has the other collectors do the same).
  void push_policy_to_all();
  // Sends every agent connected here its current policy (cluster handler).
  void push_policy_here();
  // Sends a sweep another collector started to its targets connected here (cluster handler).
  void deliver_sweep(uint64_t sweep_id);
  // Agents connected here or to another live collector on the same database.
  std::set<std::string> online_agents() const;
  FleetCluster* cluster() const { return cluster_; }
  SweepStarted run_sweep(const std::string& requested_by, const std::string& kind,
                         const std::string& department, int spread_seconds = 0);
  // One scheduler pass for the minute containing `now` (exposed for tests).
  std::vector<uint64_t> run_due_schedules(std::time_t now);

 private:
  const Clock& clock_;
  SweepStarted start_sweep(const std::string& requested_by, const std::string& kind,
                           const std::string& department,
                           const std::vector<std::pair<int64_t, std::string>>& hosts,
                           int spread_seconds);
  bool leads() const { return !cluster_ || cluster_->leader(); }
  void scheduler_loop();
  void prune();
  void retention_loop();

  Store& store_;
  SessionRegistry& registry_;
  FleetOptions options_;
  FleetCluster* cluster_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::mt19937_64 rng_{std::random_device{}()};
  std::map<std::string, std::time_t> last_fired_;  // cron expression -> minute it last fired
  std::thread scheduler_, retention_;
};

}  // namespace warden::collector
