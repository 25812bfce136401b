// TLS settings shared by the collector and the agent.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace warden::tls {

// The name every collector server certificate carries and every agent verifies, whatever address
// it dials: the CA is private and pinned, so the name only has to be stable.
inline constexpr const char* kCollectorTlsName = "warden-collector";

// Makes every TLS context this process creates from now on refuse anything below TLS 1.3.
// gRPC 1.51 has no public setting for this, so Warden loads an OpenSSL `system_default`
// configuration (MinProtocol = TLSv1.3) into the process before gRPC creates its contexts.
// Call first thing in main(); idempotent.
void enforce_tls13();

// What a server listener asks of clients in the TLS handshake.
enum class ClientCertificate {
  optional,      // requested and, when presented, verified (Enroll without, Session with one)
  required,      // the handshake fails without a certificate `client_ca_pem` signed
  not_requested  // server-authenticated TLS only (a listener that serves Enroll alone)
};

// Server credentials: our chain and key; client certificates verified against `client_ca_pem`.
std::shared_ptr<grpc::ServerCredentials> server_credentials(
    const std::string& cert_chain_pem, const std::string& key_pem, const std::string& client_ca_pem,
    ClientCertificate clients = ClientCertificate::optional);

// Channel to the collector that trusts only `ca_pem` and, if given, presents a client identity.
std::shared_ptr<grpc::Channel> collector_channel(const std::string& target,
                                                 const std::string& ca_pem,
                                                 const std::string& client_cert_pem = {},
                                                 const std::string& client_key_pem = {});

}  // namespace warden::tls
