// Agent client certificates: issued at enrollment and on renewal, from a CSR whose subject is
// ignored (CN = agent ID, OU = department are the collector's to set).
#pragma once

#include <chrono>
#include <string>

#include "collector/database/store.hpp"
#include "common/pki.hpp"

namespace warden::collector {

// 13 months: agents renew automatically when about a third of this is left.
inline constexpr auto kAgentCertificateValidity = std::chrono::days(397);

// Throws std::invalid_argument for a CSR that does not parse or is not self-signed.
IssuedCertificate issue_agent_certificate(const pki::CertificateBundle& ca,
                                          const std::string& csr_pem, const std::string& agent_id,
                                          const std::string& department);

}  // namespace warden::collector
