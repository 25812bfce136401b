// AdminService: what wardenctl asks for, over the admin Unix socket.
#pragma once

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/session_registry.hpp"
#include "warden/v1/admin.grpc.pb.h"

namespace warden::collector {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  AdminServiceImpl(Store& store, SessionRegistry& registry) : store_(store), registry_(registry) {}

  grpc::Status CreateToken(grpc::ServerContext*, const v1::CreateTokenRequest*, v1::CreateTokenResponse*) override;
  grpc::Status ListTokens(grpc::ServerContext*, const v1::ListTokensRequest*, v1::ListTokensResponse*) override;
  grpc::Status RevokeToken(grpc::ServerContext*, const v1::RevokeTokenRequest*, v1::RevokeTokenResponse*) override;
  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*, v1::GetStatusResponse*) override;
  grpc::Status ListHosts(grpc::ServerContext*, const v1::ListHostsRequest*, v1::ListHostsResponse*) override;
  grpc::Status GetHost(grpc::ServerContext*, const v1::GetHostRequest*, v1::GetHostResponse*) override;
  grpc::Status RevokeHost(grpc::ServerContext*, const v1::RevokeHostRequest*, v1::RevokeHostResponse*) override;
  grpc::Status ListFindings(grpc::ServerContext*, const v1::ListFindingsRequest*, v1::ListFindingsResponse*) override;
  grpc::Status RunSweep(grpc::ServerContext*, const v1::RunSweepRequest*, v1::RunSweepResponse*) override;
  grpc::Status GetSweep(grpc::ServerContext*, const v1::GetSweepRequest*, v1::GetSweepResponse*) override;

 private:
  Store& store_;
  SessionRegistry& registry_;
};

}  // namespace warden::collector
