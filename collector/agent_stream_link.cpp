#include "collector/agent_stream_link.hpp"

namespace warden::collector {

void AgentStreamLink::send(const v1::CollectorMessage& msg) {
  std::lock_guard lock(mu_);
  if (!stream_ || finishing_) return;
  // Acks are cumulative: a queued ack is superseded by a newer one.
  if (msg.has_ack() && !queue_.empty() && queue_.back().has_ack()) {
    queue_.back() = msg;
  } else {
    if (queue_.size() >= kMaxQueued) {
      finish_locked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "agent is not reading"));
      return;
    }
    queue_.push_back(msg);
  }
  if (!writing_) write_next_locked();
}

void AgentStreamLink::close(const grpc::Status& status) {
  std::lock_guard lock(mu_);
  if (stream_) finish_locked(status);
}

void AgentStreamLink::on_write_done(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  if (!stream_) return;
  if (!ok) finish_locked(grpc::Status::CANCELLED);  // no-op when a finish is already due
  if (finishing_) {
    // Due since the write started (a close, a broken read, a full queue): the write's outcome
    // does not matter, the stream must still be finished, or the call never ends.
    if (!finished_) {
      finished_ = true;
      stream_->finish(finish_status_);
    }
    return;
  }
  if (!queue_.empty()) write_next_locked();
}

void AgentStreamLink::committed(uint64_t seq, size_t max_inflight) {
  v1::CollectorMessage ack;
  ack.mutable_ack()->set_committed_seq(seq);
  send(ack);
  std::lock_guard lock(mu_);
  if (inflight_ > 0) --inflight_;
  if (read_paused_ && inflight_ < max_inflight / 2 && stream_ && !finishing_) {
    read_paused_ = false;
    stream_->read_next();
  }
}

bool AgentStreamLink::submitted(size_t max_inflight) {
  std::lock_guard lock(mu_);
  ++inflight_;
  if (inflight_ >= max_inflight) {
    read_paused_ = true;
    return false;
  }
  return true;
}

void AgentStreamLink::detach() {
  std::lock_guard lock(mu_);
  stream_ = nullptr;
  queue_.clear();
}

void AgentStreamLink::write_next_locked() {
  current_ = std::move(queue_.front());
  queue_.pop_front();
  writing_ = true;
  stream_->start_write(&current_);
}

void AgentStreamLink::finish_locked(const grpc::Status& status) {
  if (finishing_) return;
  finishing_ = true;
  finish_status_ = status;
  if (!writing_) {
    finished_ = true;
    stream_->finish(status);
  }
}

}  // namespace warden::collector
