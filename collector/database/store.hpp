// Queries and admin-side writes on the compliance database (tokens, enrollment, hosts, findings,
// sweeps). Report and event ingestion goes through the Ingestor instead, which batches.
// Thread-safe: one connection guarded by a mutex (admin traffic is light).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/sqlite.hpp"
#include "warden/v1/admin.pb.h"
#include "warden/v1/common.pb.h"

namespace warden::collector {

// Why an enrollment was refused; the message is returned to the agent as is.
class EnrollmentRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HostIdentity {
  int64_t host_id = 0;
  std::string agent_id;
  std::string hostname;
  std::string department;
  std::string cert_serial;
  bool revoked = false;
  uint64_t last_seq = 0;
};

struct EnrolledHost {
  std::string agent_id;
  std::string department;
  std::string certificate_pem;
};

// Issues a certificate for (agent_id, department); returns (PEM, serial hex, not_after seconds).
struct IssuedCertificate {
  std::string pem;
  std::string serial_hex;
  int64_t not_after_s = 0;
};
using CertificateIssuer =
    std::function<IssuedCertificate(const std::string& agent_id, const std::string& department)>;

class Store {
 public:
  explicit Store(const std::string& path);

  // ---- tokens ----
  v1::CreateTokenResponse create_token(const std::string& department, int64_t ttl_seconds,
                                       uint32_t max_uses, const std::string& created_by);
  std::vector<v1::TokenInfo> list_tokens();
  // Throws std::invalid_argument if there is no such token.
  v1::TokenInfo revoke_token(const std::string& id);

  // ---- enrollment ----
  // Checks the token (exists, secret matches, not revoked, not expired, uses left), counts a use,
  // issues the certificate and records the host, all in one transaction.
  EnrolledHost enroll(const std::string& token, const v1::HostInfo& host,
                      const CertificateIssuer& issue);

  // ---- hosts ----
  std::optional<HostIdentity> find_host(const std::string& agent_id);
  void record_hello(int64_t host_id, const v1::HostInfo& info, const std::string& peer);
  void record_seen(int64_t host_id);
  // Looks a host up by agent ID, else by hostname (the most recently enrolled one).
  std::optional<HostIdentity> resolve_host(const std::string& agent_id_or_hostname);
  HostIdentity revoke_host(const std::string& agent_id_or_hostname);

  std::vector<v1::HostSummary> list_hosts(const v1::ListHostsRequest& filter,
                                          const std::set<std::string>& online);
  std::optional<v1::GetHostResponse> get_host(const std::string& agent_id_or_hostname,
                                              const std::set<std::string>& online);
  v1::GetStatusResponse status(const std::set<std::string>& online);
  std::vector<v1::StoredFinding> list_findings(const v1::ListFindingsRequest& filter);

  // ---- sweeps ----
  uint64_t create_sweep(const std::string& requested_by, const std::string& kind,
                        const std::vector<int64_t>& host_ids);
  std::optional<v1::GetSweepResponse> get_sweep(uint64_t sweep_id);

 private:
  v1::HostSummary summary_from_row(sqlite::Statement& st, const std::set<std::string>& online);
  std::mutex mu_;
  sqlite::Connection db_;
};

}  // namespace warden::collector
