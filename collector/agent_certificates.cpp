#include "collector/agent_certificates.hpp"

namespace warden::collector {

IssuedCertificate issue_agent_certificate(const pki::CertificateBundle& ca,
                                          const std::string& csr_pem, const std::string& agent_id,
                                          const std::string& department) {
  std::string pem =
      pki::sign_client_csr(ca, csr_pem, agent_id, department, kAgentCertificateValidity);
  auto info = pki::inspect_certificate(pem);
  return IssuedCertificate{pem, info.serial_hex, info.not_after_s};
}

}  // namespace warden::collector
