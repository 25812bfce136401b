#include "collector/admin_service.hpp"

#include "common/duration.hpp"
#include "common/log.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

using grpc::Status;
using grpc::StatusCode;

// Runs a handler, turning exceptions into statuses a person can act on.
template <typename F>
Status guarded(const char* what, F&& f) {
  try {
    return f();
  } catch (const std::invalid_argument& e) {
    return {StatusCode::INVALID_ARGUMENT, e.what()};
  } catch (const std::exception& e) {
    LOG_ERROR("admin", what << " failed: " << e.what());
    return {StatusCode::INTERNAL, std::string(what) + " failed: " + e.what()};
  }
}

}  // namespace

Status AdminServiceImpl::CreateToken(grpc::ServerContext*, const v1::CreateTokenRequest* req,
                                     v1::CreateTokenResponse* resp) {
  return guarded("token create", [&] {
    if (auto err = validate::department(req->department()); !err.empty())
      return Status(StatusCode::INVALID_ARGUMENT, err);
    if (req->ttl_seconds() < 0 || req->ttl_seconds() > 365LL * 86400)
      return Status(StatusCode::INVALID_ARGUMENT, "ttl must be between 1s and 365d");
    if (req->max_uses() > 100000)
      return Status(StatusCode::INVALID_ARGUMENT, "uses must be at most 100000");
    *resp = store_.create_token(req->department(), req->ttl_seconds(), req->max_uses(),
                                req->created_by().empty() ? "admin" : req->created_by());
    LOG_INFO("admin", "token " << resp->info().id() << " created for " << req->department());
    return Status::OK;
  });
}

Status AdminServiceImpl::ListTokens(grpc::ServerContext*, const v1::ListTokensRequest*,
                                    v1::ListTokensResponse* resp) {
  return guarded("token list", [&] {
    for (auto& t : store_.list_tokens()) *resp->add_tokens() = std::move(t);
    return Status::OK;
  });
}

Status AdminServiceImpl::RevokeToken(grpc::ServerContext*, const v1::RevokeTokenRequest* req,
                                     v1::RevokeTokenResponse* resp) {
  return guarded("token revoke", [&] {
    *resp->mutable_info() = store_.revoke_token(req->id());
    return Status::OK;
  });
}

Status AdminServiceImpl::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                   v1::GetStatusResponse* resp) {
  return guarded("status", [&] {
    *resp = store_.status(registry_.online());
    return Status::OK;
  });
}

Status AdminServiceImpl::ListHosts(grpc::ServerContext*, const v1::ListHostsRequest* req,
                                   v1::ListHostsResponse* resp) {
  return guarded("hosts", [&] {
    for (auto& h : store_.list_hosts(*req, registry_.online())) *resp->add_hosts() = std::move(h);
    return Status::OK;
  });
}

Status AdminServiceImpl::GetHost(grpc::ServerContext*, const v1::GetHostRequest* req,
                                 v1::GetHostResponse* resp) {
  return guarded("host", [&] {
    auto h = store_.get_host(req->agent_id_or_hostname(), registry_.online());
    if (!h)
      return Status(StatusCode::NOT_FOUND,
                    "no host with agent ID or hostname '" + req->agent_id_or_hostname() + "'");
    *resp = std::move(*h);
    return Status::OK;
  });
}

Status AdminServiceImpl::RevokeHost(grpc::ServerContext*, const v1::RevokeHostRequest* req,
                                    v1::RevokeHostResponse* resp) {
  return guarded("host revoke", [&] {
    auto host = store_.revoke_host(req->agent_id_or_hostname());
    // Refused at once, including an already open stream.
    registry_.close(host.agent_id, Status(StatusCode::PERMISSION_DENIED, "agent was revoked"));
    auto h = store_.get_host(host.agent_id, registry_.online());
    if (h) *resp->mutable_host() = h->host();
    LOG_INFO("admin", "revoked agent " << host.agent_id << " (" << host.hostname << ")");
    return Status::OK;
  });
}

Status AdminServiceImpl::ListFindings(grpc::ServerContext*, const v1::ListFindingsRequest* req,
                                      v1::ListFindingsResponse* resp) {
  return guarded("findings", [&] {
    if (!req->check().empty())
      if (auto err = validate::identifier("check", req->check()); !err.empty())
        return Status(StatusCode::INVALID_ARGUMENT, err);
    for (auto& f : store_.list_findings(*req)) *resp->add_findings() = std::move(f);
    return Status::OK;
  });
}

Status AdminServiceImpl::RunSweep(grpc::ServerContext*, const v1::RunSweepRequest* req,
                                  v1::RunSweepResponse* resp) {
  return guarded("sweep run", [&] {
    auto sessions = registry_.snapshot();
    std::vector<int64_t> host_ids;
    for (const auto& s : sessions) host_ids.push_back(s.host_id);
    uint64_t id = store_.create_sweep(req->requested_by().empty() ? "admin" : req->requested_by(),
                                      "manual", host_ids);
    v1::CollectorMessage msg;
    msg.mutable_sweep()->set_sweep_id(id);
    msg.mutable_sweep()->set_requested_at_ms(now_ms());
    for (const auto& s : sessions) s.link->send(msg);
    resp->set_sweep_id(id);
    resp->set_expected(static_cast<uint32_t>(host_ids.size()));
    LOG_INFO("admin", "sweep " << id << " sent to " << host_ids.size() << " agents");
    return Status::OK;
  });
}

Status AdminServiceImpl::GetSweep(grpc::ServerContext*, const v1::GetSweepRequest* req,
                                  v1::GetSweepResponse* resp) {
  return guarded("sweep show", [&] {
    auto s = store_.get_sweep(req->sweep_id());
    if (!s) return Status(StatusCode::NOT_FOUND, "no sweep " + std::to_string(req->sweep_id()));
    *resp = std::move(*s);
    return Status::OK;
  });
}

}  // namespace warden::collector
