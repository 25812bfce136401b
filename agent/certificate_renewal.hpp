// Renews the agent's client certificate before it expires, over the already authenticated
// session: a new key (agent.key.next, 0600) and its CSR go to the collector, the certificate that
// comes back is checked and installed. No admin work, and no window without a usable identity:
// the collector keeps accepting the old certificate until the agent first uses the new one.
#pragma once

#include <chrono>
#include <string>

#include "agent/agent_state.hpp"
#include "common/pki.hpp"

namespace warden::agent {

// Due when less than `renew_before` is left, or less than a third of the certificate's lifetime.
bool renewal_due(const pki::CertInfo& cert, int64_t now_s, std::chrono::seconds renew_before);

class CertificateRenewal {
 public:
  explicit CertificateRenewal(const AgentState& state) : state_(state) {}

  // Completes or discards a renewal interrupted between writing and installing the new files.
  void recover() const;
  // Generates the next key (saved as agent.key.next) and returns its CSR.
  std::string begin(const std::string& agent_id) const;
  // Checks the certificate (signed by our pinned CA, CN is this agent, matches agent.key.next)
  // and installs key and certificate. Returns false, installing nothing, if it does not fit.
  bool complete(const std::string& cert_pem, std::string* why = nullptr) const;

 private:
  std::filesystem::path next_key() const;
  std::filesystem::path next_cert() const;
  const AgentState& state_;
};

}  // namespace warden::agent
