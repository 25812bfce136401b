// CascadeService at the level above: units enrol (token of kind "unit" + CSR -> certificate) and
// forward their batches, which are validated, then applied. Served on the agent port beside
// AgentService; a unit is only ever the CN of its verified client certificate.
#pragma once

#include "collector/agent_certificates.hpp"
#include "collector/agent_rate_limit.hpp"
#include "collector/cascade/cascade_store.hpp"
#include "collector/data_dir.hpp"
#include "collector/enrollment_throttle.hpp"
#include "warden/v1/cascade.grpc.pb.h"

namespace warden::collector {

class CascadeServiceImpl final : public v1::CascadeService::CallbackService {
 public:
  // `limits`: per unit, on Forward batches (collector.conf unit_forwards_per_second,
  // unit_burst_forwards); a unit over them gets RESOURCE_EXHAUSTED and sends again later.
  CascadeServiceImpl(CascadeStore& store, const CollectorPki& pki, RateLimits limits = {})
      : store_(store), pki_(pki), forward_limit_(limits) {}

  grpc::ServerUnaryReactor* EnrollUnit(grpc::CallbackServerContext* ctx,
                                       const v1::EnrollUnitRequest* req,
                                       v1::EnrollUnitResponse* resp) override;
  grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* ctx, const v1::UnitBatch* batch,
                                    v1::UnitAck* ack) override;

 private:
  grpc::Status enroll(const std::string& peer, const v1::EnrollUnitRequest& req,
                      v1::EnrollUnitResponse* resp);
  grpc::Status forward(grpc::CallbackServerContext* ctx, const v1::UnitBatch& batch,
                       v1::UnitAck* ack);
  CascadeStore& store_;
  const CollectorPki& pki_;
  EnrollmentThrottle throttle_;
  AgentRateLimiter forward_limit_;  // keyed by the unit's row ID
};

}  // namespace warden::collector
