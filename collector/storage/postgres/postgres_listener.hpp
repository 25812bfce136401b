// LISTEN/NOTIFY on PostgreSQL: a connection of its own that listens on one channel and hands over
// the payloads that arrive. Several collectors on one database tell each other about new sweeps
// this way (collector/cluster/fleet_cluster.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace warden::storage {

class PostgresListener {
 public:
  // Connects and LISTENs. Throws storage::Error (transient) if the server cannot be reached.
  PostgresListener(const std::string& uri, const std::string& channel);
  ~PostgresListener();
  PostgresListener(const PostgresListener&) = delete;
  PostgresListener& operator=(const PostgresListener&) = delete;

  // Waits up to `timeout` for notifications; returns their payloads (none on timeout). Throws
  // storage::Error (transient) when the connection is lost: notifications sent meanwhile are
  // gone, so the caller catches up from the tables after listening again.
  std::vector<std::string> wait(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden::storage
