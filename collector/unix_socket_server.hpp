// A gRPC service on a Unix socket whose callers are known by the kernel, not by what they say.
//
// gRPC's own `unix:` listener gives a handler no way to learn who connected, so audit entries
// could only record a name the client asserted. This server listens itself, accepts each
// connection, reads SO_PEERCRED (uid, gid and pid, set by the kernel when the client connected;
// a client cannot forge them), remembers them under the connection's descriptor, and hands the
// connection to gRPC (AddInsecureChannelFromFd), whose calls then name their peer "fd:N".
// caller("fd:N") turns that back into "name (uid N)" for the audit log.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace warden::collector {

class UnixSocketServer {
 public:
  // Creates the socket at `path` (replacing a stale one) under umask 0077, so that no one can
  // connect before it has its group and mode; gives it `gid` unless that is -1 or it already has
  // it, then `mode`. Throws std::runtime_error naming the path and the reason.
  UnixSocketServer(std::filesystem::path path, grpc::Service& service, mode_t mode, gid_t gid);
  ~UnixSocketServer();
  UnixSocketServer(const UnixSocketServer&) = delete;
  UnixSocketServer& operator=(const UnixSocketServer&) = delete;

  // "li (uid 1000)" for the peer of one of this server's calls; "unknown caller" otherwise.
  std::string caller(const std::string& peer) const;
  // Stops accepting and shuts the gRPC server down (calls in flight get until `deadline`).
  void shutdown(std::chrono::system_clock::time_point deadline);

 private:
  void accept_loop();

  std::filesystem::path path_;
  std::unique_ptr<grpc::Server> server_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: tells the accept loop to stop
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::map<int, std::string> callers_;  // connection fd -> who connected on it
};

}  // namespace warden::collector
