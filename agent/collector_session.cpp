#include "agent/collector_session.hpp"

#include <random>

#include "agent/certificate_renewal.hpp"
#include "agent/collector_addresses.hpp"
#include "common/duration.hpp"
#include "common/entry_point.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/tls.hpp"
#include "warden/v1/agent.grpc.pb.h"

namespace warden::agent {

namespace {

// The reader thread's loop: what the collector sends, until the stream ends.
void read_collector_messages(
    grpc::ClientReaderWriter<v1::AgentMessage, v1::CollectorMessage>& stream, Outbox& outbox,
    const SessionCallbacks& callbacks, CertificateRenewal& renewal) {
  v1::CollectorMessage m;
  while (stream.Read(&m)) {
    if (m.has_ack()) {
      outbox.acknowledge(m.ack().committed_seq());
    } else if (m.has_sweep()) {
      if (callbacks.on_sweep) callbacks.on_sweep(m.sweep().sweep_id(), m.sweep().start_delay_ms());
    } else if (m.has_policy()) {
      if (callbacks.on_policy) callbacks.on_policy(m.policy().version(), m.policy().policy_json());
    } else if (m.has_certificate()) {
      std::string why;
      if (renewal.complete(m.certificate().certificate_pem(), &why))
        LOG_INFO("renewal", "installed the renewed certificate, valid until "
                                << format_time_utc(m.certificate().not_after_ms())
                                << "; it is used from the next connection on");
      else
        LOG_WARN("renewal", "refused the certificate the collector sent: " << why);
    } else if (m.has_rejected()) {
      LOG_WARN("session", "collector rejected message " << m.rejected().seq() << ": "
                                                        << m.rejected().reason());
    }
  }
}

}  // namespace

CollectorSession::CollectorSession(const AgentState& state, Outbox& outbox,
                                   SessionCallbacks callbacks, SessionOptions options)
    : state_(state), outbox_(outbox), callbacks_(std::move(callbacks)), options_(options) {}

CollectorSession::~CollectorSession() {
  stop();
}

void CollectorSession::start() {
  thread_ = std::thread([this] { run(); });
}

void CollectorSession::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mu_);
    wake_ = true;
    if (cancel_) cancel_();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CollectorSession::notify() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

void CollectorSession::run() {
  Backoff backoff(options_.backoff_base, options_.backoff_cap, std::random_device{}());
  while (!stopping_) {
    auto started = std::chrono::steady_clock::now();
    bool got_hello = false;
    try {
      got_hello = run_once();
    } catch (const std::exception& e) {
      LOG_WARN("session", "session error: " << e.what());
    } catch (...) {
      LOG_WARN("session", "session error of unknown type");
    }
    connected_ = false;
    if (stopping_) break;
    // A session that lived a while resets the backoff; a flapping one keeps growing it.
    if (got_hello && std::chrono::steady_clock::now() - started > std::chrono::seconds(30))
      backoff.reset();
    // Fail over: the next collector of the list at once, the backoff only when every one of them
    // has been tried since the last session that got a hello (one collector: every time).
    if (got_hello) failures_in_round_ = 0;
    auto step = next_collector(current_, address_count_, ++failures_in_round_);
    current_ = step.next;
    std::chrono::milliseconds delay =
        std::min(options_.backoff_base, std::chrono::milliseconds(500));
    if (step.round_complete) {
      delay = backoff.next();
      failures_in_round_ = 0;
    }
    LOG_INFO("session", "reconnecting in "
                            << delay.count() << " ms"
                            << (address_count_ > 1 ? " (next collector in the list)" : ""));
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, delay, [&] { return stopping_.load(); });
  }
}

bool CollectorSession::run_once() {
  Enrollment e = state_.load_enrollment();
  auto addresses = parse_collector_addresses(e.collector);
  address_count_ = addresses.size();
  const std::string address = addresses[current_ % addresses.size()];
  CertificateRenewal renewal(state_);
  renewal.recover();
  auto channel =
      tls::collector_channel(address, files::read(state_.ca_path()),
                             files::read(state_.cert_path()), files::read(state_.key_path()));
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    cancel_ = [&ctx] { ctx.TryCancel(); };
  }
  struct ClearCancel {
    CollectorSession* s;
    ~ClearCancel() {
      std::lock_guard lock(s->mu_);
      s->cancel_ = nullptr;
    }
  } clear{this};

  auto stream = stub->Session(&ctx);
  v1::AgentMessage hello;
  hello.set_sent_at_ms(now_ms());
  *hello.mutable_hello()->mutable_host() = callbacks_.host_info();
  hello.mutable_hello()->set_last_acked_seq(outbox_.last_acked());
  hello.mutable_hello()->set_next_seq(outbox_.next_seq());
  hello.mutable_hello()->set_policy_version(callbacks_.policy_version());
  if (!stream->Write(hello)) {
    auto st = stream->Finish();
    throw std::runtime_error("cannot open a session with " + address + ": " + st.error_message());
  }
  v1::CollectorMessage first;
  if (!stream->Read(&first) || !first.has_hello_ack()) {
    auto st = stream->Finish();
    throw std::runtime_error("collector " + address +
                             " refused the session: " + st.error_message());
  }
  outbox_.resync(first.hello_ack().committed_seq());
  outbox_.acknowledge(first.hello_ack().committed_seq());
  connected_ = true;
  LOG_INFO("session", "connected to " << address << " as " << first.hello_ack().agent_id()
                                      << " (collector has up to seq "
                                      << first.hello_ack().committed_seq() << ")");

  auto own = pki::inspect_certificate(files::read(state_.cert_path()));
  if (renewal_due(own, now_ms() / 1000, options_.renew_before)) {
    LOG_INFO("renewal", "certificate " << own.serial_hex << " expires "
                                       << format_time_utc(own.not_after_s * 1000)
                                       << ": asking the collector for a new one");
    v1::AgentMessage renew;
    renew.set_sent_at_ms(now_ms());
    renew.mutable_renew_certificate()->set_csr_pem(renewal.begin(own.subject_cn));
    stream->Write(renew);
  }

  std::atomic<bool> broken{false};
  std::thread reader([&] {
    guarded("session", [&] { read_collector_messages(*stream, outbox_, callbacks_, renewal); });
    broken = true;
    notify();
  });

  uint64_t sent_upto = first.hello_ack().committed_seq();
  auto last_write = std::chrono::steady_clock::now();
  while (!stopping_ && !broken) {
    auto batch = outbox_.pending_after(sent_upto, options_.send_batch);
    for (auto& m : batch) {
      m.set_sent_at_ms(now_ms());
      if (!stream->Write(m)) {
        broken = true;
        break;
      }
      sent_upto = m.seq();
      last_write = std::chrono::steady_clock::now();
    }
    if (broken) break;
    if (batch.size() == options_.send_batch) continue;  // more waiting: keep going
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, last_write + options_.heartbeat,
                   [&] { return wake_ || stopping_.load() || broken.load(); });
    wake_ = false;
    lock.unlock();
    if (std::chrono::steady_clock::now() >= last_write + options_.heartbeat) {
      v1::AgentMessage hb;
      hb.set_sent_at_ms(now_ms());
      hb.mutable_heartbeat()->set_outbox_depth(outbox_.depth());
      hb.mutable_heartbeat()->set_outbox_dropped(outbox_.dropped());
      if (!stream->Write(hb)) break;
      last_write = std::chrono::steady_clock::now();
    }
  }
  if (stopping_) ctx.TryCancel();
  stream->WritesDone();
  reader.join();
  auto st = stream->Finish();
  if (!st.ok() && !stopping_)
    LOG_WARN("session", "stream to " << address << " ended: " << st.error_message());
  return true;
}

}  // namespace warden::agent
