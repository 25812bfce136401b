// A unit's link to the level above: forwards what changed (CascadeStore::next_batch) over mutual
// TLS, records what was acknowledged, and starts the sweeps the level above asks for.
//
// One thread. A full pass every `interval`; in between it looks every `poll` for a critical
// incident not forwarded yet and sends it at once. When the level above cannot be reached it
// backs off (1 s doubling to `interval`) and, whenever it is back, sends everything it missed:
// the database holds what was acknowledged, so a restart or days offline lose nothing. Among
// collectors sharing one database only the fleet's leader forwards.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "collector/cascade/cascade_store.hpp"
#include "collector/cascade/upstream_enrollment.hpp"
#include "warden/v1/cascade.grpc.pb.h"

namespace warden::collector {

struct UpstreamLinkOptions {
  std::chrono::milliseconds interval{std::chrono::seconds(60)};
  std::chrono::milliseconds poll{std::chrono::seconds(2)};
  ForwardOptions forward;
};

struct UpstreamLinkHooks {
  std::function<bool()> leads;                    // this collector forwards (fleet leader)
  std::function<std::set<std::string>()> online;  // agent IDs connected now
  std::function<uint64_t(const std::string& kind)> run_sweep;  // starts a sweep here; its ID
};

class UpstreamLink {
 public:
  UpstreamLink(CascadeStore& store, Upstream upstream, UpstreamLinkOptions options,
               UpstreamLinkHooks hooks);
  ~UpstreamLink();
  void start();
  void stop();
  // Forwards until nothing is left (or the level above fails); true when all was acknowledged.
  bool forward_now();

 private:
  void loop();
  bool send(const PendingBatch& pending, v1::UnitAck* ack, std::string* error);
  bool forward_batches();
  int start_requested_sweeps();

  CascadeStore& store_;
  Upstream upstream_;
  UpstreamLinkOptions options_;
  UpstreamLinkHooks hooks_;
  std::unique_ptr<v1::CascadeService::Stub> stub_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  grpc::ClientContext* call_ = nullptr;  // the Forward call under way (guarded by mu_)
  std::mutex forward_mu_;                // one forward at a time
  std::thread thread_;
};

}  // namespace warden::collector
