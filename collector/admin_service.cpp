#include "collector/admin_service.hpp"

#include <algorithm>

#include "collector/admin/audit_messages.hpp"
#include "collector/admin/event_messages.hpp"
#include "collector/admin/finding_messages.hpp"
#include "collector/admin/host_messages.hpp"
#include "collector/admin/incident_messages.hpp"
#include "collector/admin/ledger_messages.hpp"
#include "collector/admin/policy_messages.hpp"
#include "collector/admin/remediation_messages.hpp"
#include "collector/admin/sweep_messages.hpp"
#include "collector/admin/token_messages.hpp"
#include "collector/admin/unit_messages.hpp"
#include "collector/admin/usb_messages.hpp"
#include "collector/admin/usb_registration.hpp"
#include "collector/cascade/unit_batch_validator.hpp"
#include "collector/storage/database.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/error_status.hpp"
#include "common/finding_proto.hpp"
#include "common/json_text.hpp"
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
  } catch (const Failure& e) {
    if (e.error().kind == ErrorKind::internal) LOG_ERROR("admin", what << " failed: " << e.what());
    return to_status(e.error());
  } catch (const std::invalid_argument& e) {  // a parser's refusal (cron, policy document)
    return to_status(invalid(e.what()));
  } catch (const storage::Error& e) {
    LOG_ERROR("admin", what << " failed: " << e.what());
    if (e.transient())
      return to_status(unavailable(std::string(what) + ": the database is busy or full (" +
                                   e.what() + "); try again"));
    return to_status(internal(std::string(what) + " failed: " + e.what()));
  } catch (const std::exception& e) {
    LOG_ERROR("admin", what << " failed: " << e.what());
    return to_status(internal(std::string(what) + " failed: " + e.what()));
  } catch (...) {
    LOG_ERROR("admin", what << " failed with an exception of unknown type");
    return to_status(internal(std::string(what) + " failed; see the collector's log"));
  }
}

// Admins' free text (measures, names, incident fields): one line of printable UTF-8, trimmed.
std::string admin_text(const char* what, const std::string& value, size_t max_bytes,
                       bool allow_empty) {
  const auto first = value.find_first_not_of(" \t");
  std::string v = first == std::string::npos
                      ? std::string()
                      : value.substr(first, value.find_last_not_of(" \t") - first + 1);
  if (auto err = validate::text(what, v, max_bytes, allow_empty); !err.empty())
    throw Failure(invalid(err));
  return v;
}

constexpr size_t kMaxMeasureBytes = 2000;
constexpr int64_t kDefaultTokenTtlSeconds = 7 * 86400;
constexpr uint32_t kDefaultAuditEntries = 1000;
constexpr uint32_t kDefaultSweeps = 50;
constexpr size_t kMaxNameBytes = 256;

Status read_only_refusal() {
  return to_status(denied("this is the read-only auditor socket: changes need the admin socket"));
}

}  // namespace

std::string AdminServiceImpl::actor_of(const grpc::ServerContext* ctx) const {
  // Who called is what the kernel says about the socket's peer (SO_PEERCRED), never a name in
  // the request: a client can claim anything.
  return actors_ ? actors_(ctx->peer()) : std::string("admin");
}

Status AdminServiceImpl::CreateToken(grpc::ServerContext* ctx, const v1::CreateTokenRequest* req,
                                     v1::CreateTokenResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("token create", [&] {
    if (auto err = validate::department(req->department()); !err.empty())
      return to_status(invalid(err));
    if (req->ttl_seconds() < 0 || req->ttl_seconds() > 365LL * 86400)
      return to_status(invalid("a token's lifetime must be between 1 second and 365 days"));
    if (req->max_uses() > 100000)
      return to_status(invalid("a token can allow at most 100000 uses"));
    auto kind = domain::parse_token_kind(req->kind().empty() ? "agent" : req->kind());
    if (!kind) return to_status(invalid("a token's kind is agent or unit"));
    auto actor = actor_of(ctx);
    *resp = to_message(store_.create_token(
        {.department = req->department(),
         .ttl_seconds = req->ttl_seconds() > 0 ? req->ttl_seconds() : kDefaultTokenTtlSeconds,
         .max_uses = req->max_uses() > 0 ? req->max_uses() : 1,
         .created_by = actor,
         .kind = *kind}));
    store_.audit(actor, "token.create",
                 {{"id", resp->info().id()},
                  {"kind", resp->info().kind()},
                  {"department", req->department()},
                  {"max_uses", resp->info().max_uses()},
                  {"expires_at_ms", resp->info().expires_at_ms()}});
    LOG_INFO("admin", "token " << resp->info().id() << " created for " << req->department());
    return Status::OK;
  });
}

Status AdminServiceImpl::ListTokens(grpc::ServerContext*, const v1::ListTokensRequest*,
                                    v1::ListTokensResponse* resp) {
  return guarded("token list", [&] {
    for (const auto& t : store_.list_tokens()) *resp->add_tokens() = to_message(t);
    return Status::OK;
  });
}

Status AdminServiceImpl::RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* req,
                                     v1::RevokeTokenResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("token revoke", [&] {
    *resp->mutable_info() = to_message(store_.revoke_token(req->id()));
    store_.audit(actor_of(ctx), "token.revoke", {{"id", req->id()}});
    return Status::OK;
  });
}

Status AdminServiceImpl::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest* req,
                                   v1::GetStatusResponse* resp) {
  return guarded("status", [&] {
    if (!req->unit().empty()) {
      *resp = to_message(cascade_->unit_status(resolve_unit(req->unit())));
      return Status::OK;
    }
    *resp = to_message(store_.status(fleet_.online_agents()));
    if (auto* cluster = fleet_.cluster())
      for (const auto& m : cluster->members()) {
        auto* c = resp->add_collectors();
        c->set_id(m.id);
        c->set_address(m.address);
        c->set_heartbeat_at_ms(m.heartbeat_at);
        c->set_agents(static_cast<uint32_t>(m.agents));
        c->set_leader(m.leader);
        c->set_answering(m.id == cluster->id());
      }
    return Status::OK;
  });
}

Status AdminServiceImpl::ListHosts(grpc::ServerContext*, const v1::ListHostsRequest* req,
                                   v1::ListHostsResponse* resp) {
  return guarded("hosts", [&] {
    if (!req->unit().empty()) {
      if (req->offline_for_seconds() > 0)
        return to_status(invalid("--offline applies to this collector's own hosts, not --unit"));
      auto unit = resolve_unit(req->unit());
      for (const auto& h : cascade_->unit_hosts(unit, host_filter_from(*req)))
        *resp->add_hosts() = to_message(h);
      return Status::OK;
    }
    for (const auto& h : store_.list_hosts(host_filter_from(*req), fleet_.online_agents()))
      *resp->add_hosts() = to_message(h);
    return Status::OK;
  });
}

Status AdminServiceImpl::GetHost(grpc::ServerContext*, const v1::GetHostRequest* req,
                                 v1::GetHostResponse* resp) {
  return guarded("host", [&] {
    auto h = store_.get_host(req->agent_id_or_hostname(), fleet_.online_agents());
    if (!h)
      return to_status(
          not_found("no host with agent ID or hostname '" + req->agent_id_or_hostname() + "'"));
    *resp = to_message(*h);
    return Status::OK;
  });
}

Status AdminServiceImpl::RevokeHost(grpc::ServerContext* ctx, const v1::RevokeHostRequest* req,
                                    v1::RevokeHostResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("host revoke", [&] {
    auto host = store_.revoke_host(req->agent_id_or_hostname());
    store_.audit(actor_of(ctx), "host.revoke",
                 {{"agent_id", host.agent_id}, {"hostname", host.hostname}});
    // Refused at once, including an already open stream.
    registry_.close(host.agent_id, Status(StatusCode::PERMISSION_DENIED, "agent was revoked"));
    auto h = store_.get_host(host.agent_id, fleet_.online_agents());
    if (h) *resp->mutable_host() = to_message(h->host);
    LOG_INFO("admin", "revoked agent " << host.agent_id << " (" << host.hostname << ")");
    return Status::OK;
  });
}

Status AdminServiceImpl::ListFindings(grpc::ServerContext*, const v1::ListFindingsRequest* req,
                                      v1::ListFindingsResponse* resp) {
  return guarded("findings", [&] {
    if (!req->check().empty())
      if (auto err = validate::identifier("check", req->check()); !err.empty())
        return to_status(invalid(err));
    domain::FindingFilter filter{req->check(), std::nullopt};
    if (req->status() != v1::STATUS_UNSPECIFIED) filter.status = from_proto(req->status());
    for (const auto& f : store_.list_findings(filter)) *resp->add_findings() = to_message(f);
    return Status::OK;
  });
}

Status AdminServiceImpl::RunSweep(grpc::ServerContext* ctx, const v1::RunSweepRequest* req,
                                  v1::RunSweepResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("sweep run", [&] {
    if (!req->department().empty())
      if (auto err = validate::department(req->department()); !err.empty())
        return to_status(invalid(err));
    if (!req->unit().empty()) {
      // The unit runs it when its link next forwards (within its upstream interval).
      auto unit = resolve_unit(req->unit());
      auto actor = actor_of(ctx);
      resp->set_unit_request_id(cascade_->request_sweep(unit, actor));
      store_.audit(actor, "unit.sweep",
                   {{"unit", unit.path}, {"request", resp->unit_request_id()}});
      return Status::OK;
    }
    auto started = fleet_.run_sweep(actor_of(ctx), "manual", req->department());
    resp->set_sweep_id(started.sweep_id);
    resp->set_expected(started.asked);
    resp->set_deferred(started.deferred);
    return Status::OK;
  });
}

Status AdminServiceImpl::GetSweep(grpc::ServerContext*, const v1::GetSweepRequest* req,
                                  v1::GetSweepResponse* resp) {
  return guarded("sweep show", [&] {
    auto s = store_.get_sweep(req->sweep_id());
    if (!s) return to_status(not_found("no sweep " + std::to_string(req->sweep_id())));
    *resp = to_message(*s);
    return Status::OK;
  });
}

Status AdminServiceImpl::SetHost(grpc::ServerContext* ctx, const v1::SetHostRequest* req,
                                 v1::HostSummary* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("host set", [&] {
    auto change = host_change_from(*req, actor_of(ctx));
    *resp = to_message(store_.set_host(change, fleet_.online_agents()));
    fleet_.push_policy_to_all();
    return Status::OK;
  });
}

Status AdminServiceImpl::GetHostHistory(grpc::ServerContext*, const v1::GetHostRequest* req,
                                        v1::HostHistoryResponse* resp) {
  return guarded("host history", [&] {
    auto h = store_.host_history(req->agent_id_or_hostname(), fleet_.online_agents());
    if (!h)
      return to_status(
          not_found("no host with agent ID or hostname '" + req->agent_id_or_hostname() + "'"));
    *resp = to_message(*h);
    return Status::OK;
  });
}

Status AdminServiceImpl::ListSweeps(grpc::ServerContext*, const v1::ListSweepsRequest* req,
                                    v1::ListSweepsResponse* resp) {
  return guarded("sweep list", [&] {
    for (const auto& s : store_.list_sweeps(req->limit() > 0 ? req->limit() : kDefaultSweeps))
      *resp->add_sweeps() = to_message(s);
    return Status::OK;
  });
}

Status AdminServiceImpl::ListEvents(grpc::ServerContext*, const v1::ListEventsRequest* req,
                                    v1::ListEventsResponse* resp) {
  return guarded("events", [&] {
    for (const auto& e : store_.list_events(event_filter_from(*req)))
      *resp->add_events() = to_message(e);
    return Status::OK;
  });
}

Status AdminServiceImpl::ListIncidents(grpc::ServerContext*, const v1::ListIncidentsRequest* req,
                                       v1::ListIncidentsResponse* resp) {
  return guarded("incidents", [&] {
    for (auto& i : store_.list_incidents(req->since_ms())) {
      i.unit = unit_name_;
      *resp->add_incidents() = to_message(i);
    }
    // And those of the units below (cascade), newest first among all.
    if (cascade_) {
      for (const auto& i : cascade_->unit_incidents(req->since_ms()))
        *resp->add_incidents() = to_message(i);
      std::stable_sort(
          resp->mutable_incidents()->begin(), resp->mutable_incidents()->end(),
          [](const v1::Incident& a, const v1::Incident& b) { return a.at_ms() > b.at_ms(); });
    }
    return Status::OK;
  });
}

Status AdminServiceImpl::ImportLedger(grpc::ServerContext* ctx, const v1::ImportLedgerRequest* req,
                                      v1::ImportLedgerResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("ledger import", [&] {
    if (req->csv().size() > (16u << 20))
      return to_status(invalid("the ledger file is larger than 16 MiB"));
    auto parsed = parse_ledger_csv(req->csv());
    resp->set_encoding(parsed.encoding);
    for (const auto& p : parsed.problems) {
      auto* out = resp->add_problems();
      out->set_line(static_cast<uint32_t>(p.line));
      out->set_message(p.message);
    }
    if (!parsed.problems.empty()) return Status::OK;  // nothing imported
    store_.replace_ledger(parsed.entries, actor_of(ctx), req->file_name(), parsed.encoding);
    resp->set_imported(static_cast<uint32_t>(parsed.entries.size()));
    return Status::OK;
  });
}

Status AdminServiceImpl::ListLedger(grpc::ServerContext*, const v1::ListLedgerRequest*,
                                    v1::ListLedgerResponse* resp) {
  return guarded("ledger list", [&] {
    auto entries = store_.list_ledger();
    for (const auto& e : entries) *resp->add_entries() = to_message(e);
    resp->set_csv(format_ledger_csv(entries));
    return Status::OK;
  });
}

Status AdminServiceImpl::SetLedgerEntry(grpc::ServerContext* ctx, const v1::LedgerEntry* req,
                                        v1::LedgerEntry* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("ledger set", [&] {
    *resp = to_message(store_.set_ledger_entry(ledger_entry_to_set(*req), actor_of(ctx)));
    return Status::OK;
  });
}

Status AdminServiceImpl::RemoveLedgerEntry(grpc::ServerContext* ctx,
                                           const v1::RemoveLedgerEntryRequest* req,
                                           v1::RemoveLedgerEntryResponse*) {
  if (read_only_) return read_only_refusal();
  return guarded("ledger remove", [&] {
    store_.remove_ledger_entry(req->hostname(), actor_of(ctx));
    return Status::OK;
  });
}

Status AdminServiceImpl::RegisterUsb(grpc::ServerContext* ctx, const v1::RegisterUsbRequest* req,
                                     v1::RegisterUsbResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("usb register", [&] {
    auto registration = store_.register_usb(usb_drive_to_register(req->device()), actor_of(ctx));
    *resp->mutable_device() = to_message(registration.drive);
    for (auto& warning : usb_registration_warnings(registration)) resp->add_warnings(warning);
    fleet_.push_policy_to_all();  // allow lists come from the registry
    return Status::OK;
  });
}

Status AdminServiceImpl::ListUsb(grpc::ServerContext*, const v1::ListUsbRequest*,
                                 v1::ListUsbResponse* resp) {
  return guarded("usb list", [&] {
    for (const auto& d : store_.list_usb()) *resp->add_devices() = to_message(d);
    return Status::OK;
  });
}

Status AdminServiceImpl::UsbHistory(grpc::ServerContext*, const v1::UsbHistoryRequest* req,
                                    v1::UsbHistoryResponse* resp) {
  return guarded("usb history", [&] {
    *resp = to_message(store_.usb_history(req->serial()));
    return Status::OK;
  });
}

Status AdminServiceImpl::GetPolicy(grpc::ServerContext*, const v1::GetPolicyRequest* req,
                                   v1::GetPolicyResponse* resp) {
  return guarded("policy show", [&] {
    if (!req->department().empty())
      if (auto err = validate::department(req->department()); !err.empty())
        return to_status(invalid(err));
    *resp = to_message(store_.get_policy(req->department()));
    return Status::OK;
  });
}

Status AdminServiceImpl::SetPolicy(grpc::ServerContext* ctx, const v1::SetPolicyRequest* req,
                                   v1::GetPolicyResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("policy set", [&] {
    if (req->document_json().size() > (1u << 20))
      return to_status(invalid("the policy is larger than 1 MiB"));
    *resp = to_message(store_.set_policy(policy_change_from(*req, actor_of(ctx))));
    fleet_.push_policy_to_all();  // as soon as it changes
    return Status::OK;
  });
}

Status AdminServiceImpl::ListAudit(grpc::ServerContext*, const v1::ListAuditRequest* req,
                                   v1::ListAuditResponse* resp) {
  return guarded("audit", [&] {
    for (const auto& e :
         store_.list_audit(req->since_ms(), req->limit() > 0 ? req->limit() : kDefaultAuditEntries))
      *resp->add_entries() = to_message(e);
    return Status::OK;
  });
}

Status AdminServiceImpl::GetReport(grpc::ServerContext*, const v1::GetReportRequest* req,
                                   v1::GetReportResponse* resp) {
  return guarded("report", [&] {
    if (!req->unit().empty()) {
      if (auto err = validate_origin(req->unit()); !err.empty())
        return to_status(invalid("--unit: " + err));
      if (!req->department().empty())
        return to_status(invalid("--unit and --department cannot be used together"));
    }
    *resp->mutable_report() = reports_.build({req->from_date(), req->to_date(), req->from_ms(),
                                              req->to_ms(), req->department(), req->unit()},
                                             fleet_.online_agents());
    return Status::OK;
  });
}

UnitRef AdminServiceImpl::resolve_unit(const std::string& path) {
  if (auto err = validate_origin(path); !err.empty() || path.empty())
    throw Failure(invalid("--unit: " + (path.empty() ? std::string("a unit name") : err)));
  if (!cascade_) throw Failure(not_found("no unit named '" + path + "' below this collector"));
  return cascade_->resolve(path);
}

Status AdminServiceImpl::ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest*,
                                   v1::ListUnitsResponse* resp) {
  return guarded("units", [&] {
    if (cascade_)
      for (const auto& u : cascade_->list_units()) *resp->add_units() = to_message(u);
    return Status::OK;
  });
}

Status AdminServiceImpl::RevokeUnit(grpc::ServerContext* ctx, const v1::RevokeUnitRequest* req,
                                    v1::UnitSummary* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("units revoke", [&] {
    if (auto err = validate_unit_name(req->name()); !err.empty())
      return to_status(invalid("a unit below this one, by name: " + err));
    if (!cascade_) return to_status(not_found("no unit named '" + req->name() + "'"));
    *resp = to_message(cascade_->revoke_unit(req->name()));
    store_.audit(actor_of(ctx), "unit.revoke",
                 {{"unit", req->name()}, {"unit_id", resp->unit_id()}});
    LOG_INFO("admin", "unit '" << req->name() << "' (" << resp->unit_id() << ") revoked");
    return Status::OK;
  });
}

ExchangeService& AdminServiceImpl::exchange() {
  if (!exchange_) throw Failure(unavailable("offline exchange is not available on this collector"));
  return *exchange_;
}

Status AdminServiceImpl::GetExchangeIdentity(grpc::ServerContext*,
                                             const v1::ExchangeIdentityRequest*,
                                             v1::ExchangeIdentity* resp) {
  return guarded("exchange identity", [&] {
    *resp = exchange().identity();
    return Status::OK;
  });
}

Status AdminServiceImpl::AddExchangePeer(grpc::ServerContext* ctx,
                                         const v1::AddExchangePeerRequest* req,
                                         v1::ExchangePeer* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("exchange peer add", [&] {
    *resp = exchange().add_peer(*req);
    store_.audit(actor_of(ctx), "exchange.peer_add",
                 {{"peer", resp->name()},
                  {"role", resp->role()},
                  {"fingerprint", resp->fingerprint()},
                  {"department", resp->department()}});
    return Status::OK;
  });
}

Status AdminServiceImpl::ListExchangePeers(grpc::ServerContext*,
                                           const v1::ListExchangePeersRequest*,
                                           v1::ListExchangePeersResponse* resp) {
  return guarded("exchange peers", [&] {
    for (auto& p : exchange().list_peers()) *resp->add_peers() = std::move(p);
    return Status::OK;
  });
}

Status AdminServiceImpl::RemoveExchangePeer(grpc::ServerContext* ctx,
                                            const v1::RemoveExchangePeerRequest* req,
                                            v1::ExchangePeer* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("exchange peer remove", [&] {
    if (auto e = validate_unit_name(req->name()); !e.empty())
      return to_status(invalid("a peer, by name: " + e));
    *resp = exchange().remove_peer(req->name());
    store_.audit(
        actor_of(ctx), "exchange.peer_remove",
        {{"peer", resp->name()}, {"role", resp->role()}, {"fingerprint", resp->fingerprint()}});
    return Status::OK;
  });
}

Status AdminServiceImpl::ExportBundle(grpc::ServerContext* ctx, const v1::ExportBundleRequest* req,
                                      v1::ExportBundleResponse* resp) {
  // Writes nothing but the bundle's number, yet what leaves the network is an admin's decision.
  if (read_only_) return read_only_refusal();
  return guarded("exchange export", [&] {
    if (auto e = validate_unit_name(req->peer()); !e.empty())
      return to_status(invalid("--to: " + e));
    *resp = exchange().export_bundle(req->peer(), req->since_ms());
    store_.audit(actor_of(ctx), "exchange.export",
                 {{"peer", req->peer()},
                  {"seq", resp->seq()},
                  {"since_ms", req->since_ms()},
                  {"hosts", resp->hosts()},
                  {"usb_devices", resp->usb_devices()}});
    return Status::OK;
  });
}

Status AdminServiceImpl::ImportBundle(grpc::ServerContext* ctx, const v1::ImportBundleRequest* req,
                                      v1::ImportBundleResponse* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("exchange import", [&] {
    try {
      *resp = exchange().import_bundle(req->bundle());
    } catch (const Failure& e) {
      store_.audit(actor_of(ctx), "exchange.import_refused", {{"reason", e.what()}});
      throw;
    }
    store_.audit(actor_of(ctx), "exchange.import",
                 {{"peer", resp->peer()},
                  {"seq", resp->seq()},
                  {"already_imported", resp->already_imported()},
                  {"hosts", resp->hosts()},
                  {"usb_devices", resp->usb_devices()},
                  {"cross_used", resp->cross_used_size()}});
    return Status::OK;
  });
}

// The host a remediation item is for: it must exist and not be revoked.
static HostIdentity remediation_host(Store& store, const std::string& key) {
  if (key.empty()) throw Failure(invalid("name the host (agent ID or hostname)"));
  auto host = store.resolve_host(key);
  if (!host) throw Failure(not_found("no host with agent ID or hostname '" + key + "'"));
  if (host->revoked) throw Failure(invalid("host '" + key + "' is revoked"));
  return *host;
}

Status AdminServiceImpl::SetRemediation(grpc::ServerContext* ctx,
                                        const v1::SetRemediationRequest* req,
                                        v1::RemediationItem* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("remediation set", [&] {
    if (auto err = validate::identifier("check", req->check()); !err.empty())
      return to_status(invalid(err));
    if (!catalog::find(req->check()))
      return to_status(not_found("no check '" + req->check() + "' in the check catalogue"));
    auto host = remediation_host(store_, req->host());
    auto measure = admin_text("the measure", req->measure(), kMaxMeasureBytes, false);
    auto person = admin_text("the person responsible", req->person(), kMaxNameBytes, false);
    auto note = admin_text("the note", req->note(), kMaxMeasureBytes, true);
    // A deadline is a local date in the collector's zone; the item is due by the end of that
    // day, so it is stored as the instant the next local day begins.
    auto date = parse_civil_date(req->deadline_date());
    if (!date)
      return to_status(
          invalid("the deadline \"" + req->deadline_date() + "\" is not a date (YYYY-MM-DD)"));
    const TimeZone zone = store_.time_zone();
    const int64_t deadline = zone.start_of(add_days(*date, 1));
    if (deadline <= clock_.now_ms())
      return to_status(
          invalid("the deadline " + req->deadline_date() + " is in the past (today is " +
                  format_civil_date(zone.date_at(clock_.now_ms())) + ", " + zone.name() + ")"));
    // An item is for a problem: the host's latest result for the check fails or errs.
    auto latest = store_.latest_result(host.host_id, req->check());
    const std::string status = latest ? latest->first : std::string();
    if (status != "fail" && status != "error" && !req->force())
      return to_status(conflict(
          host.hostname + "'s latest result for " + req->check() + " is " +
          (status.empty() ? std::string("none") : status) +
          ", not fail or error: a remediation item is for a failing check (force to set one "
          "anyway)"));
    *resp = to_message(store_.set_remediation(host.host_id, req->check(), measure, person, deadline,
                                              note, actor_of(ctx)),
                       zone);
    return Status::OK;
  });
}

Status AdminServiceImpl::ListRemediation(grpc::ServerContext*,
                                         const v1::ListRemediationRequest* req,
                                         v1::ListRemediationResponse* resp) {
  return guarded("remediation list", [&] {
    if (!req->department().empty())
      if (auto err = validate::department(req->department()); !err.empty())
        return to_status(invalid(err));
    const TimeZone zone = store_.time_zone();
    for (const auto& i : store_.list_remediation(remediation_filter_from(*req)))
      *resp->add_items() = to_message(i, zone);
    return Status::OK;
  });
}

Status AdminServiceImpl::CloseRemediation(grpc::ServerContext* ctx,
                                          const v1::CloseRemediationRequest* req,
                                          v1::RemediationItem* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("remediation close", [&] {
    if (auto err = validate::identifier("check", req->check()); !err.empty())
      return to_status(invalid(err));
    auto host = remediation_host(store_, req->host());
    auto note = admin_text("the note", req->note(), kMaxMeasureBytes, true);
    *resp = to_message(store_.close_remediation(host.host_id, req->check(), note, actor_of(ctx)),
                       store_.time_zone());
    return Status::OK;
  });
}

Status AdminServiceImpl::UpdateIncident(grpc::ServerContext* ctx,
                                        const v1::UpdateIncidentRequest* req, v1::Incident* resp) {
  if (read_only_) return read_only_refusal();
  return guarded("incident set", [&] {
    if (req->id() <= 0) return to_status(invalid("an incident ID is a positive number"));
    if (!req->has_location() && !req->has_service() && !req->has_impact() && !req->has_cause() &&
        !req->has_handling() && !req->has_reporter() && !req->has_reported_at_ms())
      return to_status(invalid("name at least one field of the incident to fill in"));
    domain::IncidentUpdate change;
    change.id = req->id();
    if (req->has_location())
      change.location = admin_text("the location", req->location(), kMaxNameBytes, true);
    if (req->has_service())
      change.service = admin_text("the service", req->service(), kMaxNameBytes, true);
    if (req->has_impact())
      change.impact = admin_text("the impact", req->impact(), kMaxMeasureBytes, true);
    if (req->has_cause())
      change.cause = admin_text("the cause", req->cause(), kMaxMeasureBytes, true);
    if (req->has_handling())
      change.handling = admin_text("the handling", req->handling(), kMaxMeasureBytes, true);
    if (req->has_reporter())
      change.reporter = admin_text("the reporter", req->reporter(), kMaxNameBytes, true);
    if (req->has_reported_at_ms()) {
      if (req->reported_at_ms() <= 0 || req->reported_at_ms() > clock_.now_ms() + kDayMs)
        return to_status(invalid("the report time must be a date that is not in the future"));
      change.reported_at_ms = req->reported_at_ms();
    }
    auto updated = store_.update_incident(change, actor_of(ctx));
    updated.unit = unit_name_;
    *resp = to_message(updated);
    return Status::OK;
  });
}

}  // namespace warden::collector
