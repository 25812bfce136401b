// The agents' listeners and the HTTP/2 limits on them.
//
// Enroll needs no client certificate, so whoever reaches the agent port reaches the whole HTTP/2
// stack of Debian's gRPC 1.51.1 before authenticating, and that package has no fixes for
// CVE-2023-44487 (rapid reset), CVE-2023-33953 (HPACK) or CVE-2023-4785 (accept errors). What
// gRPC 1.51 offers is applied here: a cap on concurrent streams per connection, on header-list
// and HPACK table sizes, on ping abuse, on handshake time and on idle connections. What it does
// not offer (a per-address connection cap) is left to the OS: deploy/nftables. And enrollment can
// move to a listener of its own (`enroll_listen`), so the agent port requires a client
// certificate in the TLS handshake, before any HTTP/2, and the enrollment port can be closed
// (`enroll_listen = off`) between roll-outs. docs/security.md, "Pre-authentication HTTP/2 load".
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "collector/agent_service.hpp"
#include "collector/collector_config.hpp"

namespace warden::collector {

enum class AgentListenerRole {
  combined,    // Enroll without a client certificate and Session with one (the default)
  sessions,    // client certificate required in the TLS handshake; Session only
  enrollment,  // server-authenticated TLS; Enroll only
};

// Applies the HTTP/2 limits for `role` to a builder whose listener faces agents (and the LAN).
void apply_agent_http2_limits(grpc::ServerBuilder& builder, AgentListenerRole role);

// The agents' port as configured (combined, or sessions only with enrollment apart or closed),
// and the enrollment listener when there is one. Keeps the services it registers alive; stops the
// enrollment listener when destroyed.
class AgentListeners {
 public:
  AgentListeners(const CollectorConfig& config, const CollectorPki& pki, AgentServiceImpl& service);
  ~AgentListeners();
  AgentListeners(const AgentListeners&) = delete;
  AgentListeners& operator=(const AgentListeners&) = delete;

  // The cascade (units of the level below) on the agent port and the enrollment listener: units
  // enrol where agents do and forward where agents hold sessions. Call before the others.
  void also_serve(grpc::Service* cascade) { cascade_ = cascade; }
  // Starts the enrollment listener if `enroll_listen` names one; false (logged) if it cannot
  // listen. True when there is none.
  bool start_enrollment();
  // Adds `config.listen` with the credentials and service of its role, and the HTTP/2 limits.
  void add_agent_port(grpc::ServerBuilder& builder, int* bound_port);

  AgentListenerRole agent_port_role() const;
  int enrollment_port() const { return enrollment_port_; }

 private:
  const CollectorConfig& config_;
  const CollectorPki& pki_;
  AgentServiceImpl& service_;
  std::unique_ptr<grpc::Service> session_only_, enroll_only_;
  std::unique_ptr<grpc::Server> enrollment_;
  grpc::Service* cascade_ = nullptr;
  int enrollment_port_ = 0;
};

}  // namespace warden::collector
