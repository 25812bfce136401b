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

Enrollment enroll(const AgentState& state, const EnrollOptions& options);

}  // namespace warden::agent
