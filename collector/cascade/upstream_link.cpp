#include "collector/cascade/upstream_link.hpp"

#include <algorithm>

#include "common/entry_point.hpp"
#include "common/log.hpp"
#include "common/tls.hpp"

namespace warden::collector {

namespace {
constexpr int kMaxBatchesPerPass = 200;  // 200 x 1,000 hosts: a unit of any size catches up
}  // namespace

UpstreamLink::UpstreamLink(CascadeStore& store, Upstream upstream, UpstreamLinkOptions options,
                           UpstreamLinkHooks hooks)
    : store_(store),
      upstream_(std::move(upstream)),
      options_(std::move(options)),
      hooks_(std::move(hooks)) {
  stub_ = v1::CascadeService::NewStub(tls::collector_channel(
      upstream_.address, upstream_.ca_pem, upstream_.certificate_pem, upstream_.key_pem));
  if (options_.forward.unit_name.empty()) options_.forward.unit_name = upstream_.unit_name;
}

UpstreamLink::~UpstreamLink() {
  stop();
}

void UpstreamLink::start() {
  thread_ = std::thread([this] { guarded("upstream", [this] { loop(); }); });
}

void UpstreamLink::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (call_) call_->TryCancel();  // a call to a level above that does not answer ends now
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool UpstreamLink::send(const PendingBatch& pending, v1::UnitAck* ack, std::string* error) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      *error = "stopping";
      return false;
    }
    call_ = &ctx;
  }
  auto status = stub_->Forward(&ctx, pending.batch, ack);
  {
    std::lock_guard lock(mu_);
    call_ = nullptr;
    if (stopping_ && status.error_code() == grpc::StatusCode::CANCELLED) {
      *error = "stopping: the call was cancelled (sent again after the restart)";
      return false;
    }
  }
  if (!status.ok()) {
    *error = status.error_message() + " (" + std::to_string(status.error_code()) + ")";
    return false;
  }
  if (ack->applied_seq() != pending.batch.seq()) {
    *error = "acknowledged batch " + std::to_string(ack->applied_seq()) + ", not " +
             std::to_string(pending.batch.seq());
    return false;
  }
  return true;
}

bool UpstreamLink::forward_now() {
  std::lock_guard forward(forward_mu_);
  // A sweep the level above asked for starts after the batch that brought the request; one more
  // batch then tells it the sweep is under way.
  for (int round = 0; round < 2; ++round) {
    if (!forward_batches()) return false;
    if (start_requested_sweeps() == 0) break;
  }
  return true;
}

bool UpstreamLink::forward_batches() {
  for (int i = 0; i < kMaxBatchesPerPass; ++i) {
    auto pending = store_.next_batch(options_.forward,
                                     hooks_.online ? hooks_.online() : std::set<std::string>{});
    v1::UnitAck ack;
    std::string error;
    if (!send(pending, &ack, &error)) {
      LOG_WARN("upstream", "cannot forward to " << upstream_.address << ": " << error);
      return false;
    }
    store_.acknowledge(pending, ack);
    LOG_DEBUG("upstream", "batch " << pending.batch.seq()
                                   << " acknowledged: " << pending.batch.hosts_size() << " hosts, "
                                   << pending.batch.incidents_size() << " incidents");
    if (ack.resync()) {
      LOG_INFO("upstream", "the level above asks for everything again; resending");
      continue;
    }
    if (!pending.more) break;
  }
  return true;
}

int UpstreamLink::start_requested_sweeps() {
  if (!hooks_.run_sweep) return 0;
  int started = 0;
  for (const auto& r : store_.sweeps_to_start()) {
    ++started;
    uint64_t sweep = hooks_.run_sweep(r.kind);
    store_.record_sweep_started(r.request_id, sweep);
    LOG_INFO("upstream",
             "the level above asked for a sweep (request " << r.request_id << "): sweep " << sweep);
  }
  return started;
}

void UpstreamLink::loop() {
  using clock = std::chrono::steady_clock;
  auto next_pass = clock::now();
  auto next_attempt = clock::now();
  std::chrono::milliseconds backoff{1000};
  bool was_down = false;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, options_.poll, [this] { return stopping_; })) return;
    }
    auto now = clock::now();
    if (now < next_attempt || (hooks_.leads && !hooks_.leads())) continue;
    bool urgent = false;
    try {
      urgent = now < next_pass && store_.has_unforwarded_incidents();
    } catch (const std::exception& e) {
      LOG_WARN("upstream", "cannot read the database: " << e.what());
      continue;
    }
    if (now < next_pass && !urgent) continue;
    bool ok = false;
    try {
      ok = forward_now();
    } catch (const std::exception& e) {
      LOG_WARN("upstream", "forwarding failed: " << e.what());
    }
    now = clock::now();
    if (ok) {
      if (was_down) LOG_INFO("upstream", "the level above at " << upstream_.address << " is back");
      was_down = false;
      backoff = std::chrono::milliseconds(1000);
      next_attempt = now;
      next_pass = now + options_.interval;
    } else {
      was_down = true;
      next_attempt = now + backoff;
      next_pass = next_attempt;
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, options_.interval);
    }
  }
}

}  // namespace warden::collector
