#include "agent/enrollment.hpp"

#include <memory>
#include <stdexcept>

#include "agent/collector_addresses.hpp"
#include "agent/host/host_info_probe.hpp"
#include "common/enrollment_client.hpp"
#include "common/pki.hpp"
#include "common/text.hpp"
#include "common/tls.hpp"
#include "warden/v1/agent.grpc.pb.h"

namespace warden::agent {

Enrollment enroll(const AgentState& state, const EnrollOptions& options) {
  if (state.enrolled() && !options.force)
    throw std::runtime_error("already enrolled as " + state.load_enrollment().agent_id +
                             " (state in " + state.dir().string() +
                             "); use --force to enroll again");
  if (!pki::fingerprint_matches(options.ca_fingerprint, options.ca_fingerprint))
    throw std::runtime_error("--ca-fingerprint must be SHA256:<64 hex digits>");
  auto addresses = parse_collector_addresses(options.collector);
  if (!options.enroll_address.empty()) addresses = {options.enroll_address};
  // The first collector of the list that answers the TLS handshake enrolls the agent (any
  // collector sharing the CA can); one that cannot be reached is skipped. The token is spent by
  // the one Enroll call, so nothing after that is retried elsewhere.
  std::string enroll_at, ca_pem, unreachable;
  for (const auto& address : addresses) {
    std::vector<std::string> chain;
    try {
      chain = enrollment::fetch_server_chain(address);
    } catch (const std::exception& e) {
      unreachable += (unreachable.empty() ? "" : "; ") + std::string(e.what());
      continue;
    }
    // A wrong CA is an error, not a failover.
    ca_pem = enrollment::pin_ca(chain, options.ca_fingerprint);
    enroll_at = address;
    break;
  }
  if (enroll_at.empty()) throw std::runtime_error("no collector could be reached: " + unreachable);

  auto key = pki::generate_key();
  auto host = probe_host_info();
  v1::EnrollRequest req;
  req.set_token(options.token);
  req.set_csr_pem(pki::create_csr(key.private_key_pem, host.hostname));
  to_proto(host, req.mutable_host());

  auto channel = tls::collector_channel(enroll_at, ca_pem);
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::EnrollResponse resp;
  auto status = stub->Enroll(&ctx, req, &resp);
  if (!status.ok()) throw std::runtime_error("enrollment refused: " + status.error_message());
  auto info = pki::inspect_certificate(resp.certificate_pem());
  if (info.subject_cn != resp.agent_id() ||
      !pki::verify_signed_by(resp.certificate_pem(), ca_pem) ||
      !pki::key_matches_certificate(key.private_key_pem, resp.certificate_pem()))
    throw std::runtime_error(
        "the collector returned a certificate that does not match this agent's key");
  Enrollment e{resp.agent_id(), options.collector, resp.department(), pki::fingerprint(ca_pem)};
  state.save_enrollment(e, key.private_key_pem, resp.certificate_pem(), ca_pem);
  return e;
}

}  // namespace warden::agent
