// One agent's bidirectional stream (gRPC callback API: no thread per stream).
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>

#include "collector/agent_rate_limit.hpp"
#include "collector/agent_stream_link.hpp"
#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/session_registry.hpp"
#include "warden/v1/agent.grpc.pb.h"

namespace warden::collector {

struct SessionDeps {
  Store& store;
  Ingestor& ingestor;
  SessionRegistry& registry;
  size_t max_inflight = 1024;  // messages submitted but not committed before reading pauses
  // Called after a hello was acknowledged (policy push, missed sweeps).
  std::function<void(int64_t host_id, uint64_t agent_policy_version, SessionLink& link)> on_hello;
  // Signs a renewal CSR for the session's host (set by AgentServiceImpl).
  std::function<IssuedCertificate(const std::string& csr_pem, const HostIdentity& host)>
      renew_certificate;
  AgentRateLimiter* rate_limiter = nullptr;  // none: unlimited
  // Called when a session that got a hello ends (presence across collectors).
  std::function<void(int64_t host_id, const std::string& agent_id)> on_disconnect;
};

class AgentSession : public grpc::ServerBidiReactor<v1::AgentMessage, v1::CollectorMessage>,
                     private AgentStream {
 public:
  // Authenticates from the verified client certificate; on failure finishes at once.
  AgentSession(SessionDeps deps, grpc::CallbackServerContext* ctx);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void authenticate(grpc::CallbackServerContext* ctx);
  void close_internal();
  void handle(std::shared_ptr<v1::AgentMessage> msg);
  // AgentStream: what the link does to this stream.
  void start_write(const v1::CollectorMessage* msg) override;
  void finish(const grpc::Status& status) override;
  void read_next() override;
  void renew_certificate(const v1::RenewCertificate& request);

  SessionDeps deps_;
  std::string peer_;
  HostIdentity host_;
  std::string cert_serial_;  // of the certificate this stream presented
  bool attached_ = false;    // registered with the registry (revocation reaches it)
  bool hello_seen_ = false;
  bool renewed_ = false;  // one certificate renewal per session
  std::unique_ptr<v1::AgentMessage> in_;
  std::shared_ptr<AgentStreamLink> link_;
};

}  // namespace warden::collector
