// Which agents have a live stream, and a thread-safe way to talk to each.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "warden/v1/agent.pb.h"

namespace warden::collector {

// What the registry and other threads may do with a live session.
class SessionLink {
 public:
  virtual ~SessionLink() = default;
  virtual void send(const v1::CollectorMessage& msg) = 0;
  virtual void close(const grpc::Status& status) = 0;
};

class SessionRegistry {
 public:
  struct Entry {
    int64_t host_id = 0;
    std::string agent_id;
    std::shared_ptr<SessionLink> link;
  };

  // Every stream that presented agent_id's certificate, from the moment it is accepted (before
  // its hello): revocation must reach streams that have not spoken yet.
  void attach(const std::string& agent_id, std::shared_ptr<SessionLink> link);
  // At hello the session becomes the agent's live one; an older live one is closed (the agent
  // reconnected).
  void add(const Entry& entry);
  // When a stream ends, hello or not. The live entry goes only if it is still this link (a newer
  // session may have replaced it).
  void remove(const std::string& agent_id, const SessionLink* link);
  // Closes every stream of the agent, live or not yet past hello; false if there was none.
  bool close(const std::string& agent_id, const grpc::Status& status);
  std::set<std::string> online() const;
  bool has(const std::string& agent_id) const;  // a live session (past hello)
  std::vector<Entry> snapshot() const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Entry> sessions_;  // live (past hello), one per agent
  std::multimap<std::string, std::shared_ptr<SessionLink>> attached_;  // every open stream
};

}  // namespace warden::collector
