// Several collectors on one PostgreSQL database, behind one address (issue 13). Each collector
// process is a member: it says it is alive (a heartbeat row), records which agents are connected
// to it, tells the others about sweeps it starts (NOTIFY), delivers the sweeps the others start
// to its own agents (LISTEN), and competes for leadership, held by one member at a time with a
// PostgreSQL session advisory lock, so the scheduler and retention run once per fleet. A leader
// that dies (even SIGKILL) drops its connection, the server releases the lock, and another member
// takes it at its next heartbeat.
//
// On SQLite the collector is a fleet of one: no thread, no rows, always the leader.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "collector/database/store.hpp"
#include "collector/storage/database_location.hpp"
#include "common/clock.hpp"

namespace warden::collector {

struct FleetClusterOptions {
  std::string address;  // where agents reach this collector (shown in `wardenctl collectors`)
  std::chrono::milliseconds heartbeat{std::chrono::seconds(5)};
  // A member silent this long is gone: its agents no longer count as connected.
  std::chrono::milliseconds alive_within{std::chrono::seconds(30)};
};

class FleetCluster {
 public:
  FleetCluster(const storage::Location& database, Store& store, FleetClusterOptions options,
               const Clock& clock = system_clock());
  ~FleetCluster();
  FleetCluster(const FleetCluster&) = delete;
  FleetCluster& operator=(const FleetCluster&) = delete;

  // What one member tells the others.
  struct Handlers {
    // A sweep another member started (and, after the listener reconnects, every recent one).
    std::function<void(uint64_t sweep_id)> sweep;
    // Another member changed a policy or the USB registry: push policies to the agents here.
    std::function<void()> policy;
  };
  // Starts the member's thread; the handlers are called on it.
  void start(Handlers handlers);
  void stop();

  bool shared() const { return shared_; }
  const std::string& id() const { return id_; }
  bool leader() const { return !shared_ || leader_.load(); }

  void agent_connected(int64_t host_id);
  void agent_disconnected(int64_t host_id);
  // Agents connected to the other live members (empty on SQLite).
  std::set<std::string> agents_elsewhere();
  // The live members, this one included (empty on SQLite).
  std::vector<Store::CollectorRow> members();
  // Tells the other members about a sweep this one started, or a policy change.
  void announce_sweep(uint64_t sweep_id) { announce("sweep " + std::to_string(sweep_id)); }
  void announce_policy() { announce("policy 0"); }

  static constexpr const char* kChannel = "warden_fleet";

 private:
  void run();
  void announce(const std::string& what);
  void handle(const std::string& payload);

  storage::Location database_;
  Store& store_;
  FleetClusterOptions options_;
  const Clock& clock_;
  bool shared_ = false;
  std::string id_;
  std::atomic<bool> leader_{false};
  Handlers handlers_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::mutex announce_mu_;
  std::unique_ptr<storage::Connection> announce_db_;
};

}  // namespace warden::collector
