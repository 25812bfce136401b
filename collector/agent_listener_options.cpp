#include "collector/agent_listener_options.hpp"

#include <chrono>

#include "common/log.hpp"
#include "common/tls.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

// An agent opens one Session stream per connection; `warden-agent enroll` one Enroll call. A few
// more leave room for a client library that overlaps a call with the next one. Beyond this the
// server answers HEADERS with RST_STREAM(REFUSED_STREAM) instead of creating a call.
constexpr int kMaxConcurrentStreams = 8;
constexpr int kMaxConcurrentEnrollStreams = 4;
// Header lists (all of a request's metadata) above this are refused with RESOURCE_EXHAUSTED and
// advertised to peers as SETTINGS_MAX_HEADER_LIST_SIZE. A gRPC request's headers are about
// 300 bytes; gRPC 1.51's default is 8 KiB.
constexpr int kMaxHeaderListBytes = 4096;
// The HPACK dynamic table a peer may make the decoder keep: the protocol's default.
constexpr int kHpackDecoderTableBytes = 4096;
// TLS handshake plus the HTTP/2 preface: gRPC's default is 120 s, holding a descriptor and a
// handshaker per slow or silent peer. 10,000 agents reconnecting at once finish well within this.
constexpr int kHandshakeTimeoutMs = 30000;
// A connection with no call open for this long is closed with GOAWAY (agents keep their Session
// open, so only peers that connect and sit are affected).
constexpr int kMaxIdleMs = 120000;
constexpr int kMaxIdleEnrollMs = 30000;
// Pings a peer may send while nothing else happens before gRPC sends GOAWAY(ENHANCE_YOUR_CALM).
// The interval itself is set where keepalive is (collector/main.cpp).
constexpr int kMaxPingStrikes = 2;

// Enroll of the one service, nothing else: Session answers UNIMPLEMENTED (the generated
// service's default).
class EnrollOnlyService final : public v1::AgentService::CallbackService {
 public:
  explicit EnrollOnlyService(AgentServiceImpl& impl) : impl_(impl) {}
  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* ctx, const v1::EnrollRequest* req,
                                   v1::EnrollResponse* resp) override {
    return impl_.Enroll(ctx, req, resp);
  }

 private:
  AgentServiceImpl& impl_;
};

// Session of the one service, nothing else: Enroll answers UNIMPLEMENTED.
class SessionOnlyService final : public v1::AgentService::CallbackService {
 public:
  explicit SessionOnlyService(AgentServiceImpl& impl) : impl_(impl) {}
  grpc::ServerBidiReactor<v1::AgentMessage, v1::CollectorMessage>* Session(
      grpc::CallbackServerContext* ctx) override {
    return impl_.Session(ctx);
  }

 private:
  AgentServiceImpl& impl_;
};

}  // namespace

void apply_agent_http2_limits(grpc::ServerBuilder& builder, AgentListenerRole role) {
  bool enroll_only = role == AgentListenerRole::enrollment;
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             enroll_only ? kMaxConcurrentEnrollStreams : kMaxConcurrentStreams);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, kMaxHeaderListBytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_HPACK_TABLE_SIZE_DECODER, kHpackDecoderTableBytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, kMaxPingStrikes);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, kHandshakeTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             enroll_only ? kMaxIdleEnrollMs : kMaxIdleMs);
}

AgentListeners::AgentListeners(const CollectorConfig& config, const CollectorPki& pki,
                               AgentServiceImpl& service)
    : config_(config), pki_(pki), service_(service) {}

AgentListeners::~AgentListeners() {
  if (enrollment_)
    enrollment_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

AgentListenerRole AgentListeners::agent_port_role() const {
  return config_.enroll_listen ? AgentListenerRole::sessions : AgentListenerRole::combined;
}

bool AgentListeners::start_enrollment() {
  if (!config_.enroll_listen) return true;
  if (config_.enroll_listen->empty()) {
    LOG_INFO("collector",
             "enrollment is closed (enroll_listen = off); the agent port requires a "
             "client certificate");
    return true;
  }
  enroll_only_ = std::make_unique<EnrollOnlyService>(service_);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      *config_.enroll_listen,
      tls::server_credentials(pki_.server.certificate_pem, pki_.server.private_key_pem,
                              pki_.ca.certificate_pem, tls::ClientCertificate::not_requested),
      &enrollment_port_);
  builder.RegisterService(enroll_only_.get());
  // A unit's collector enrolls here too (EnrollUnit); Forward, which needs its certificate, is
  // refused on this listener, which asks for none.
  if (cascade_) builder.RegisterService(cascade_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(validate::kMaxMessageBytes));
  builder.AddChannelArgument("grpc.tsi.max_frame_size", 4096);
  if (config_.agent_http2_limits) apply_agent_http2_limits(builder, AgentListenerRole::enrollment);
  enrollment_ = builder.BuildAndStart();
  if (!enrollment_ || enrollment_port_ == 0) {
    LOG_ERROR("collector", "cannot listen for enrollment on " << *config_.enroll_listen
                                                              << " (in use, or not an address "
                                                                 "here?)");
    enrollment_.reset();
    return false;
  }
  LOG_INFO("collector", "enrollment on " << *config_.enroll_listen << " (port " << enrollment_port_
                                         << "); the agent port requires a client certificate");
  return true;
}

void AgentListeners::add_agent_port(grpc::ServerBuilder& builder, int* bound_port) {
  auto role = agent_port_role();
  builder.AddListeningPort(
      config_.listen,
      tls::server_credentials(
          pki_.server.certificate_pem, pki_.server.private_key_pem, pki_.ca.certificate_pem,
          role == AgentListenerRole::sessions ? tls::ClientCertificate::required
                                              : tls::ClientCertificate::optional),
      bound_port);
  if (role == AgentListenerRole::sessions) {
    session_only_ = std::make_unique<SessionOnlyService>(service_);
    builder.RegisterService(session_only_.get());
  } else {
    builder.RegisterService(&service_);
  }
  if (cascade_) builder.RegisterService(cascade_);
  if (config_.agent_http2_limits)
    apply_agent_http2_limits(builder, role);
  else
    LOG_WARN("collector", "HTTP/2 limits on the agent port are off (agent_http2_limits = off)");
}

}  // namespace warden::collector
