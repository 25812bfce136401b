// AdminService: what wardenctl asks for, over the admin Unix socket.
#pragma once

#include <functional>
#include <string>

#include "collector/cascade/cascade_store.hpp"
#include "collector/database/store.hpp"
#include "collector/exchange/exchange_service.hpp"
#include "collector/fleet_control.hpp"
#include "collector/ingestor.hpp"
#include "collector/report/report_service.hpp"
#include "collector/session_registry.hpp"
#include "warden/v1/admin.grpc.pb.h"

namespace warden::collector {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // read_only: the auditor's service, which answers every query and refuses every change
  // (PERMISSION_DENIED). Served on its own socket (`audit_socket`), group-accessible.
  // clock: the report's "now" (which failures are past their deadline).
  AdminServiceImpl(Store& store, SessionRegistry& registry, FleetControl& fleet,
                   bool read_only = false, const Clock& clock = system_clock())
      : store_(store),
        registry_(registry),
        fleet_(fleet),
        read_only_(read_only),
        reports_(store, clock),
        clock_(clock) {}

  // Names the caller of a call from its peer string (the socket's SO_PEERCRED: see
  // collector/unix_socket_server.hpp); audit entries and `requested_by` record that name.
  // Without one (in-process tests), the caller is "admin".
  using ActorSource = std::function<std::string(const std::string& peer)>;
  void set_actor_source(ActorSource actors) { actors_ = std::move(actors); }
  // The unit the self-check report names in its header (before serving).
  void set_unit(UnitInfo unit) {
    unit_name_ = unit.name;
    reports_.set_unit(std::move(unit));
  }
  // The units below this collector (cascade); without it `--unit` answers not found.
  void set_cascade(CascadeStore* cascade) {
    cascade_ = cascade;
    reports_.set_cascade(cascade);
  }

  grpc::Status CreateToken(grpc::ServerContext*, const v1::CreateTokenRequest*,
                           v1::CreateTokenResponse*) override;
  grpc::Status ListTokens(grpc::ServerContext*, const v1::ListTokensRequest*,
                          v1::ListTokensResponse*) override;
  grpc::Status RevokeToken(grpc::ServerContext*, const v1::RevokeTokenRequest*,
                           v1::RevokeTokenResponse*) override;
  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::GetStatusResponse*) override;
  grpc::Status ListHosts(grpc::ServerContext*, const v1::ListHostsRequest*,
                         v1::ListHostsResponse*) override;
  grpc::Status GetHost(grpc::ServerContext*, const v1::GetHostRequest*,
                       v1::GetHostResponse*) override;
  grpc::Status RevokeHost(grpc::ServerContext*, const v1::RevokeHostRequest*,
                          v1::RevokeHostResponse*) override;
  grpc::Status ListFindings(grpc::ServerContext*, const v1::ListFindingsRequest*,
                            v1::ListFindingsResponse*) override;
  grpc::Status RunSweep(grpc::ServerContext*, const v1::RunSweepRequest*,
                        v1::RunSweepResponse*) override;
  grpc::Status GetSweep(grpc::ServerContext*, const v1::GetSweepRequest*,
                        v1::GetSweepResponse*) override;
  grpc::Status SetHost(grpc::ServerContext*, const v1::SetHostRequest*, v1::HostSummary*) override;
  grpc::Status GetHostHistory(grpc::ServerContext*, const v1::GetHostRequest*,
                              v1::HostHistoryResponse*) override;
  grpc::Status ListSweeps(grpc::ServerContext*, const v1::ListSweepsRequest*,
                          v1::ListSweepsResponse*) override;
  grpc::Status ListEvents(grpc::ServerContext*, const v1::ListEventsRequest*,
                          v1::ListEventsResponse*) override;
  grpc::Status ListIncidents(grpc::ServerContext*, const v1::ListIncidentsRequest*,
                             v1::ListIncidentsResponse*) override;
  grpc::Status ImportLedger(grpc::ServerContext*, const v1::ImportLedgerRequest*,
                            v1::ImportLedgerResponse*) override;
  grpc::Status ListLedger(grpc::ServerContext*, const v1::ListLedgerRequest*,
                          v1::ListLedgerResponse*) override;
  grpc::Status SetLedgerEntry(grpc::ServerContext*, const v1::LedgerEntry*,
                              v1::LedgerEntry*) override;
  grpc::Status RemoveLedgerEntry(grpc::ServerContext*, const v1::RemoveLedgerEntryRequest*,
                                 v1::RemoveLedgerEntryResponse*) override;
  grpc::Status RegisterUsb(grpc::ServerContext*, const v1::RegisterUsbRequest*,
                           v1::RegisterUsbResponse*) override;
  grpc::Status ListUsb(grpc::ServerContext*, const v1::ListUsbRequest*,
                       v1::ListUsbResponse*) override;
  grpc::Status UsbHistory(grpc::ServerContext*, const v1::UsbHistoryRequest*,
                          v1::UsbHistoryResponse*) override;
  grpc::Status GetPolicy(grpc::ServerContext*, const v1::GetPolicyRequest*,
                         v1::GetPolicyResponse*) override;
  grpc::Status SetPolicy(grpc::ServerContext*, const v1::SetPolicyRequest*,
                         v1::GetPolicyResponse*) override;
  grpc::Status ListAudit(grpc::ServerContext*, const v1::ListAuditRequest*,
                         v1::ListAuditResponse*) override;
  grpc::Status GetReport(grpc::ServerContext*, const v1::GetReportRequest*,
                         v1::GetReportResponse*) override;
  grpc::Status ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest*,
                         v1::ListUnitsResponse*) override;
  grpc::Status RevokeUnit(grpc::ServerContext*, const v1::RevokeUnitRequest*,
                          v1::UnitSummary*) override;
  grpc::Status SetRemediation(grpc::ServerContext*, const v1::SetRemediationRequest*,
                              v1::RemediationItem*) override;
  grpc::Status ListRemediation(grpc::ServerContext*, const v1::ListRemediationRequest*,
                               v1::ListRemediationResponse*) override;
  grpc::Status CloseRemediation(grpc::ServerContext*, const v1::CloseRemediationRequest*,
                                v1::RemediationItem*) override;
  grpc::Status UpdateIncident(grpc::ServerContext*, const v1::UpdateIncidentRequest*,
                              v1::Incident*) override;
  // ---- offline exchange (docs/exchange.md) ----
  void set_exchange(ExchangeService* exchange) { exchange_ = exchange; }
  grpc::Status GetExchangeIdentity(grpc::ServerContext*, const v1::ExchangeIdentityRequest*,
                                   v1::ExchangeIdentity*) override;
  grpc::Status AddExchangePeer(grpc::ServerContext*, const v1::AddExchangePeerRequest*,
                               v1::ExchangePeer*) override;
  grpc::Status ListExchangePeers(grpc::ServerContext*, const v1::ListExchangePeersRequest*,
                                 v1::ListExchangePeersResponse*) override;
  grpc::Status RemoveExchangePeer(grpc::ServerContext*, const v1::RemoveExchangePeerRequest*,
                                  v1::ExchangePeer*) override;
  grpc::Status ExportBundle(grpc::ServerContext*, const v1::ExportBundleRequest*,
                            v1::ExportBundleResponse*) override;
  grpc::Status ImportBundle(grpc::ServerContext*, const v1::ImportBundleRequest*,
                            v1::ImportBundleResponse*) override;

 private:
  std::string actor_of(const grpc::ServerContext* ctx) const;
  ActorSource actors_;
  Store& store_;
  SessionRegistry& registry_;
  FleetControl& fleet_;
  bool read_only_;
  ReportService reports_;
  CascadeStore* cascade_ = nullptr;
  ExchangeService* exchange_ = nullptr;
  ExchangeService& exchange();
  UnitRef resolve_unit(const std::string& path);
  std::string unit_name_;
  const Clock& clock_;
};

}  // namespace warden::collector
