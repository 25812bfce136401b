#include "collector/agent_service.hpp"

#include "collector/admin/host_messages.hpp"
#include "collector/message_validator.hpp"
#include "common/entry_point.hpp"
#include "common/log.hpp"
#include "common/pki.hpp"

namespace warden::collector {

grpc::ServerUnaryReactor* AgentServiceImpl::Enroll(grpc::CallbackServerContext* ctx,
                                                   const v1::EnrollRequest* req,
                                                   v1::EnrollResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  grpc::Status status(grpc::StatusCode::INTERNAL,
                      "enrollment failed on the collector; see its log");
  guarded("enroll", [&] { status = enroll(peer_address(ctx->peer()), *req, resp); });
  reactor->Finish(status);
  return reactor;
}

grpc::Status AgentServiceImpl::enroll(const std::string& peer, const v1::EnrollRequest& req,
                                      v1::EnrollResponse* resp) {
  if (!throttle_.allowed(peer))
    return {grpc::StatusCode::RESOURCE_EXHAUSTED,
            "too many failed enrollments from " + peer + "; wait a minute and check the token"};
  if (auto err = validate_host_info(req.host()); !err.empty())
    return {grpc::StatusCode::INVALID_ARGUMENT, err};
  if (req.csr_pem().empty() || req.csr_pem().size() > kMaxCsrBytes)
    return {grpc::StatusCode::INVALID_ARGUMENT, "a CSR of at most 16 KiB is required"};
  try {
    auto issued = deps_.store.enroll(
        req.token(), from_message(req.host()),
        [&](const std::string& agent_id, const std::string& department) {
          return issue_agent_certificate(pki_.ca, req.csr_pem(), agent_id, department);
        });
    resp->set_agent_id(issued.agent_id);
    resp->set_certificate_pem(issued.certificate_pem);
    resp->set_ca_certificate_pem(pki_.ca.certificate_pem);
    resp->set_department(issued.department);
    LOG_INFO("enroll", "enrolled " << req.host().hostname() << " from " << peer << " as "
                                   << issued.agent_id << " in " << issued.department);
    return grpc::Status::OK;
  } catch (const EnrollmentRefused& e) {
    throttle_.record_failure(peer);
    LOG_WARN("enroll", "refused enrollment of " << req.host().hostname() << " from " << peer << ": "
                                                << e.what());
    return {grpc::StatusCode::PERMISSION_DENIED, e.what()};
  } catch (const std::invalid_argument& e) {
    throttle_.record_failure(peer);
    return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
  } catch (const std::exception& e) {
    LOG_ERROR("enroll", "enrollment failed: " << e.what());
    return {grpc::StatusCode::INTERNAL, "enrollment failed on the collector; see its log"};
  }
}

grpc::ServerBidiReactor<v1::AgentMessage, v1::CollectorMessage>* AgentServiceImpl::Session(
    grpc::CallbackServerContext* ctx) {
  return new AgentSession(deps_, ctx);
}

}  // namespace warden::collector
