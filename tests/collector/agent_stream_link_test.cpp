// The collector's end of an agent stream (collector/agent_stream_link.hpp): a state machine over
// the reactor's StartWrite, Finish and StartRead. The stream here records those calls instead of
// being a gRPC reactor, because the orderings that matter (the agent cancels while an ack is being
// written) cannot be produced on demand with a real stream; the integration suite runs the real
// one (a cancelled speaker, a collector stopped with agents connected).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "collector/agent_stream_link.hpp"

using warden::collector::AgentStream;
using warden::collector::AgentStreamLink;
namespace v1 = warden::v1;

namespace {

struct RecordingStream : AgentStream {
  std::vector<v1::CollectorMessage> written;
  std::vector<grpc::Status> finished;
  int reads = 0;
  void start_write(const v1::CollectorMessage* msg) override { written.push_back(*msg); }
  void finish(const grpc::Status& status) override { finished.push_back(status); }
  void read_next() override { ++reads; }
};

v1::CollectorMessage sweep(uint64_t id) {
  v1::CollectorMessage m;
  m.mutable_sweep()->set_sweep_id(id);
  return m;
}

}  // namespace

TEST_CASE("a stream closed while a write is in progress is finished once that write fails") {
  // The agent cancels: its pending read fails (close) while an ack is being written, then the
  // write fails too. Finish must still be called, or the call never ends and the server's
  // shutdown waits for it forever.
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.send(sweep(1));
  REQUIRE(stream.written.size() == 1);
  link.close(grpc::Status::OK);
  CHECK(stream.finished.empty());  // not while the write is in progress
  link.on_write_done(false);
  REQUIRE(stream.finished.size() == 1);
  CHECK(stream.finished[0].ok());  // the status of the close, not of the failed write
  link.on_write_done(false);       // nothing twice
  link.close(grpc::Status::CANCELLED);
  CHECK(stream.finished.size() == 1);
}

TEST_CASE("a stream closed while a write is in progress is finished when that write completes") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.send(sweep(1));
  link.send(sweep(2));  // queued behind the first
  link.close(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "revoked"));
  link.on_write_done(true);
  CHECK(stream.written.size() == 1);  // the queued message is not written after the close
  REQUIRE(stream.finished.size() == 1);
  CHECK(stream.finished[0].error_code() == grpc::StatusCode::PERMISSION_DENIED);
  link.send(sweep(3));  // nothing is written after a finish
  CHECK(stream.written.size() == 1);
}

TEST_CASE("a failed write with no close due finishes the stream as cancelled") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.send(sweep(1));
  link.send(sweep(2));
  link.on_write_done(false);
  REQUIRE(stream.finished.size() == 1);
  CHECK(stream.finished[0].error_code() == grpc::StatusCode::CANCELLED);
  CHECK(stream.written.size() == 1);
}

TEST_CASE("a close with nothing being written finishes at once") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.close(grpc::Status::CANCELLED);
  link.close(grpc::Status::OK);
  REQUIRE(stream.finished.size() == 1);
  CHECK(stream.finished[0].error_code() == grpc::StatusCode::CANCELLED);
}

TEST_CASE("messages are written one at a time, in order, and a queued ack is superseded") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.send(sweep(1));
  link.committed(5, 1024);
  link.committed(6, 1024);  // replaces the queued ack for 5
  link.send(sweep(2));
  CHECK(stream.written.size() == 1);
  link.on_write_done(true);
  link.on_write_done(true);
  link.on_write_done(true);
  REQUIRE(stream.written.size() == 3);
  CHECK(stream.written[1].ack().committed_seq() == 6);
  CHECK(stream.written[2].sweep().sweep_id() == 2);
  CHECK(stream.finished.empty());
}

TEST_CASE("an agent that reads nothing is closed when its queue is full") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  for (size_t i = 0; i <= AgentStreamLink::kMaxQueued + 1; ++i) link.send(sweep(i + 1));
  CHECK(stream.finished.empty());  // the first write is still in progress
  link.on_write_done(true);
  REQUIRE(stream.finished.size() == 1);
  CHECK(stream.finished[0].error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_CASE("reading pauses at the in-flight limit and resumes below half of it") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  for (int i = 0; i < 3; ++i) CHECK(link.submitted(4));
  CHECK_FALSE(link.submitted(4));  // 4 waiting for a commit: pause
  link.committed(1, 4);
  link.committed(2, 4);
  CHECK(stream.reads == 0);  // 2 left: not below half
  link.committed(3, 4);
  CHECK(stream.reads == 1);
  link.committed(4, 4);
  CHECK(stream.reads == 1);  // resumed once
}

TEST_CASE("after the reactor is gone nothing reaches it") {
  RecordingStream stream;
  AgentStreamLink link(&stream);
  link.send(sweep(1));
  link.detach();
  link.on_write_done(true);
  link.send(sweep(2));
  link.close(grpc::Status::OK);
  link.committed(1, 4);
  CHECK(stream.written.size() == 1);
  CHECK(stream.finished.empty());
}
