#include "collector/cascade/cascade_service.hpp"

#include "collector/cascade/unit_batch_validator.hpp"
#include "collector/message_validator.hpp"
#include "collector/storage/database.hpp"
#include "common/entry_point.hpp"
#include "common/log.hpp"
#include "common/pki.hpp"

namespace warden::collector {

namespace {
constexpr const char* kInternal = "the collector failed; see its log";
}  // namespace

grpc::ServerUnaryReactor* CascadeServiceImpl::EnrollUnit(grpc::CallbackServerContext* ctx,
                                                         const v1::EnrollUnitRequest* req,
                                                         v1::EnrollUnitResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  grpc::Status status(grpc::StatusCode::INTERNAL, kInternal);
  guarded("enroll-unit", [&] { status = enroll(peer_address(ctx->peer()), *req, resp); });
  reactor->Finish(status);
  return reactor;
}

grpc::Status CascadeServiceImpl::enroll(const std::string& peer, const v1::EnrollUnitRequest& req,
                                        v1::EnrollUnitResponse* resp) {
  if (!throttle_.allowed(peer))
    return {grpc::StatusCode::RESOURCE_EXHAUSTED,
            "too many failed enrollments from " + peer + "; wait a minute and check the token"};
  if (auto err = validate_unit_name(req.unit_name()); !err.empty())
    return {grpc::StatusCode::INVALID_ARGUMENT, err};
  if (req.csr_pem().empty() || req.csr_pem().size() > kMaxCsrBytes)
    return {grpc::StatusCode::INVALID_ARGUMENT, "a CSR of at most 16 KiB is required"};
  try {
    auto unit = store_.enroll_unit(
        req.token(), req.unit_name(), [&](const std::string& unit_id, const std::string& dept) {
          return issue_agent_certificate(pki_.ca, req.csr_pem(), unit_id, dept);
        });
    resp->set_unit_id(unit.unit_id);
    resp->set_certificate_pem(unit.certificate_pem);
    resp->set_ca_certificate_pem(pki_.ca.certificate_pem);
    resp->set_department(unit.department);
    LOG_INFO("cascade", "enrolled unit '" << req.unit_name() << "' from " << peer << " as "
                                          << unit.unit_id << " in " << unit.department);
    return grpc::Status::OK;
  } catch (const EnrollmentRefused& e) {
    throttle_.record_failure(peer);
    LOG_WARN("cascade", "refused enrollment of unit '" << req.unit_name() << "' from " << peer
                                                       << ": " << e.what());
    return {grpc::StatusCode::PERMISSION_DENIED, e.what()};
  } catch (const std::invalid_argument& e) {
    throttle_.record_failure(peer);
    return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
  }
}

grpc::ServerUnaryReactor* CascadeServiceImpl::Forward(grpc::CallbackServerContext* ctx,
                                                      const v1::UnitBatch* batch,
                                                      v1::UnitAck* ack) {
  auto* reactor = ctx->DefaultReactor();
  grpc::Status status(grpc::StatusCode::INTERNAL, kInternal);
  guarded("forward", [&] { status = forward(ctx, *batch, ack); });
  reactor->Finish(status);
  return reactor;
}

grpc::Status CascadeServiceImpl::forward(grpc::CallbackServerContext* ctx,
                                         const v1::UnitBatch& batch, v1::UnitAck* ack) {
  auto auth = ctx->auth_context();
  auto certs = auth ? auth->FindPropertyValues("x509_pem_cert") : std::vector<grpc::string_ref>{};
  if (certs.empty())
    return {grpc::StatusCode::UNAUTHENTICATED, "a unit's client certificate is required"};
  pki::CertInfo cert;
  try {
    cert = pki::inspect_certificate(std::string(certs.front().data(), certs.front().size()));
  } catch (const std::exception&) {
    return {grpc::StatusCode::UNAUTHENTICATED, "unreadable client certificate"};
  }
  try {
    auto unit = store_.find_unit(cert.subject_cn);
    if (!unit || unit->cert_serial != cert.serial_hex)
      return {grpc::StatusCode::PERMISSION_DENIED, "not a unit enrolled here: " + cert.subject_cn};
    if (unit->revoked)
      return {grpc::StatusCode::PERMISSION_DENIED, "unit '" + unit->name + "' is revoked"};
    if (auto why = forward_limit_.admit(unit->id, batch.ByteSizeLong()); !why.empty()) {
      LOG_WARN("cascade", "unit '" << unit->name << "' is over its limit: " << why);
      return {grpc::StatusCode::RESOURCE_EXHAUSTED, "unit over its limit: " + why};
    }
    if (auto err = validate_unit_batch(batch); !err.empty()) {
      LOG_WARN("cascade", "refused a batch from unit '" << unit->name << "': " << err);
      return {grpc::StatusCode::INVALID_ARGUMENT, err};
    }
    *ack = store_.apply(*unit, batch);
    LOG_DEBUG("cascade", "unit '" << unit->name << "' batch " << batch.seq() << ": "
                                  << batch.hosts_size() << " hosts, " << batch.incidents_size()
                                  << " incidents, " << batch.sweeps_size() << " sweeps");
    return grpc::Status::OK;
  } catch (const storage::Error& e) {
    LOG_WARN("cascade", "cannot apply a unit's batch: " << e.what());
    return {e.transient() ? grpc::StatusCode::UNAVAILABLE : grpc::StatusCode::INTERNAL,
            "the database is unavailable; the unit will send it again"};
  }
}

}  // namespace warden::collector
