#include "agent/certificate_renewal.hpp"

#include "common/files.hpp"
#include "common/log.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

bool renewal_due(const pki::CertInfo& cert, int64_t now_s, std::chrono::seconds renew_before) {
  int64_t left = cert.not_after_s - now_s;
  int64_t lifetime = cert.not_after_s - cert.not_before_s;
  return left < renew_before.count() || left * 3 < lifetime;
}

fs::path CertificateRenewal::next_key() const {
  return state_.dir() / "agent.key.next";
}
fs::path CertificateRenewal::next_cert() const {
  return state_.dir() / "agent.crt.next";
}

void CertificateRenewal::recover() const {
  std::error_code ec;
  if (fs::exists(next_cert())) {
    auto cert = files::read(next_cert());
    if (fs::exists(next_key()) && pki::key_matches_certificate(files::read(next_key()), cert)) {
      fs::rename(next_key(), state_.key_path());
      fs::rename(next_cert(), state_.cert_path());
      LOG_INFO("renewal", "finished installing a renewed certificate");
      return;
    }
    if (pki::key_matches_certificate(files::read(state_.key_path()), cert)) {
      fs::rename(next_cert(), state_.cert_path());  // the key was already in place
      LOG_INFO("renewal", "finished installing a renewed certificate");
      return;
    }
    fs::remove(next_cert(), ec);
  }
  fs::remove(next_key(), ec);  // a request that was never answered: the next session asks again
}

std::string CertificateRenewal::begin(const std::string& agent_id) const {
  auto key = pki::generate_key();
  files::write_atomic(next_key(), key.private_key_pem, 0600);
  return pki::create_csr(key.private_key_pem, agent_id);
}

bool CertificateRenewal::complete(const std::string& cert_pem, std::string* why) const {
  auto refuse = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  if (!fs::exists(next_key())) return refuse("no renewal was requested");
  pki::CertInfo info;
  try {
    info = pki::inspect_certificate(cert_pem);
  } catch (const std::exception& e) {
    return refuse(std::string("unreadable certificate: ") + e.what());
  }
  auto current = pki::inspect_certificate(files::read(state_.cert_path()));
  if (info.subject_cn != current.subject_cn)
    return refuse("issued for " + info.subject_cn + ", not this agent (" + current.subject_cn +
                  ")");
  if (!pki::verify_signed_by(cert_pem, files::read(state_.ca_path())))
    return refuse("not signed by the pinned CA");
  auto key = files::read(next_key());
  if (!pki::key_matches_certificate(key, cert_pem)) return refuse("does not match the new key");
  // Certificate first, then the renames: recover() can finish from any point of this.
  files::write_atomic(next_cert(), cert_pem, 0644);
  fs::rename(next_key(), state_.key_path());
  fs::rename(next_cert(), state_.cert_path());
  return true;
}

}  // namespace warden::agent
