// The collector's end of one agent stream, as the rest of the collector sees it: messages to the
// agent are queued and written one at a time, acknowledgements supersede each other, reading
// pauses while too much is waiting for a commit, and the stream is finished exactly once (after
// the write in progress, if any, whatever becomes of that write). AgentSession implements the
// stream operations; the unit test drives this state machine with a recording stream.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "collector/session_registry.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::collector {

// The three things the link does to a gRPC stream (the reactor's StartWrite, Finish and
// StartRead). Called with the link's lock held; gRPC may run a reaction inline.
class AgentStream {
 public:
  virtual ~AgentStream() = default;
  virtual void start_write(const v1::CollectorMessage* msg) = 0;
  virtual void finish(const grpc::Status& status) = 0;
  virtual void read_next() = 0;
};

// Shared between the reactor and every thread that talks to the agent (ingest acks, sweep
// fan-out, revocation). Outlives the reactor; after detach() it drops everything.
class AgentStreamLink : public SessionLink {
 public:
  static constexpr size_t kMaxQueued = 4096;  // an agent that reads nothing is closed

  explicit AgentStreamLink(AgentStream* stream) : stream_(stream) {}

  void send(const v1::CollectorMessage& msg) override;
  void close(const grpc::Status& status) override;

  // The write started last completed (ok) or failed (the stream broke or was cancelled).
  void on_write_done(bool ok);
  // Messages of this stream up to seq are committed: acknowledged, and reading resumes when it
  // had paused and the backlog fell below half of max_inflight.
  void committed(uint64_t seq, size_t max_inflight);
  // One more message submitted for commit; false when reading must pause.
  bool submitted(size_t max_inflight);
  // The reactor is gone (OnDone): nothing more reaches it.
  void detach();

 private:
  void write_next_locked();
  void finish_locked(const grpc::Status& status);

  std::recursive_mutex mu_;  // gRPC may run a reaction inline from StartWrite/Finish
  AgentStream* stream_;
  std::deque<v1::CollectorMessage> queue_;
  v1::CollectorMessage current_;
  bool writing_ = false;
  bool finishing_ = false;  // Finish is due, after the write in progress
  bool finished_ = false;   // Finish was called
  bool read_paused_ = false;
  size_t inflight_ = 0;
  grpc::Status finish_status_;
};

}  // namespace warden::collector
