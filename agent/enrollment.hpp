// `warden-agent enroll`: pins the collector's CA by fingerprint (no trust on first use), creates
// the agent's key (0600) and CSR, exchanges the token for a certificate, saves the identity.
#pragma once

#include <string>
#include <vector>

#include "agent/agent_state.hpp"

namespace warden::agent {

struct EnrollOptions {
  std::string collector;  // HOST:PORT
  // HOST:PORT of the collector's enrollment listener when it has one (`enroll_listen`); empty:
  // enroll at `collector`. The agent's sessions always go to `collector`.
  std::string enroll_address;
  std::string token;
  std::string ca_fingerprint;  // SHA256:<hex>
  bool force = false;          // replace an existing identity (a reinstalled PC)
};

// The token from a file (`-`: standard input), without surrounding whitespace. Refuses an empty
// or oversized file (a token is ~60 bytes; at most 4 KiB is read) with a clear error.
std::string read_enrollment_token(const std::string& path);

// Connects with TLS 1.3 and returns the certificate chain the server presents (PEM, leaf first).
// The connection is not trusted: callers pin a CA from it by fingerprint.
std::vector<std::string> fetch_server_chain(const std::string& host_port, int timeout_ms = 10000);

// Returns the pinned CA PEM: the certificate in `chain` whose fingerprint matches and which signed
// the leaf. Throws with a clear message if none does.
std::string pin_ca(const std::vector<std::string>& chain, const std::string& fingerprint);

Enrollment enroll(const AgentState& state, const EnrollOptions& options);

}  // namespace warden::agent
