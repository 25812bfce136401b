// AgentService: enrollment (token + CSR -> certificate) and the per-agent session stream.
#pragma once

#include "collector/agent_certificates.hpp"
#include "collector/agent_session.hpp"
#include "collector/data_dir.hpp"
#include "collector/enrollment_throttle.hpp"
#include "warden/v1/agent.grpc.pb.h"

namespace warden::collector {

class AgentServiceImpl final : public v1::AgentService::CallbackService {
 public:
  AgentServiceImpl(SessionDeps deps, const CollectorPki& pki) : deps_(deps), pki_(pki) {
    deps_.renew_certificate = [this](const std::string& csr_pem, const HostIdentity& host) {
      return issue_agent_certificate(pki_.ca, csr_pem, host.agent_id, host.department);
    };
  }

  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* ctx, const v1::EnrollRequest* req,
                                   v1::EnrollResponse* resp) override;
  grpc::ServerBidiReactor<v1::AgentMessage, v1::CollectorMessage>* Session(
      grpc::CallbackServerContext* ctx) override;

 private:
  grpc::Status enroll(const std::string& peer, const v1::EnrollRequest& req,
                      v1::EnrollResponse* resp);
  SessionDeps deps_;
  const CollectorPki& pki_;
  EnrollmentThrottle throttle_;
};

}  // namespace warden::collector
