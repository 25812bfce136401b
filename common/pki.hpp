// X.509 building blocks for Warden's private PKI (OpenSSL 3): EC P-256 keys, the collector's CA,
// server certificates, agent CSRs and their signing, fingerprints. All PEM in, PEM out.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace warden::pki {

struct KeyPair {
  std::string private_key_pem;  // PKCS#8
  std::string public_key_pem;
};

// A fresh EC P-256 key.
KeyPair generate_key();

struct CertInfo {
  std::string subject_cn;
  std::string subject_ou;
  std::string issuer_cn;
  std::string serial_hex;  // lowercase hex, no leading zeros stripped beyond OpenSSL's own
  int64_t not_before_s = 0;
  int64_t not_after_s = 0;
  bool is_ca = false;
  std::string fingerprint;  // "SHA256:<hex>" of the DER encoding
};

struct CertificateBundle {
  std::string certificate_pem;
  std::string private_key_pem;
};

// Self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign|cRLSign).
CertificateBundle create_ca(const std::string& common_name, std::chrono::days validity);

// Self-signed certificate for signing and key agreement only (CA:FALSE, digitalSignature,
// keyAgreement): a collector's offline-exchange identity, trusted by fingerprint.
CertificateBundle create_exchange_identity(const std::string& common_name,
                                           std::chrono::days validity);

// Server certificate signed by the CA, with the given DNS names and IP addresses as SANs.
CertificateBundle issue_server_certificate(const CertificateBundle& ca,
                                           const std::string& common_name,
                                           const std::vector<std::string>& dns_names,
                                           const std::vector<std::string>& ip_addresses,
                                           std::chrono::days validity);

// PKCS#10 request for a key; the subject CN is only a hint, the collector sets the real subject.
std::string create_csr(const std::string& private_key_pem, const std::string& common_name);

// Signs a CSR as a TLS client certificate. The subject is set to CN=agent_id, OU=department,
// O=Warden agent; everything the CSR asked for except its public key is ignored.
// Throws std::invalid_argument if the CSR does not parse or its self-signature is invalid.
std::string sign_client_csr(const CertificateBundle& ca, const std::string& csr_pem,
                            const std::string& agent_id, const std::string& department,
                            std::chrono::days validity);

CertInfo inspect_certificate(const std::string& cert_pem);

// "SHA256:<64 lowercase hex>" of the certificate's DER encoding.
std::string fingerprint(const std::string& cert_pem);

// Compares two fingerprints ignoring case and ':' separators inside the hex part.
bool fingerprint_matches(const std::string& expected, const std::string& actual);

// True if cert_pem was signed by ca_pem's key and ca_pem is a CA.
bool verify_signed_by(const std::string& cert_pem, const std::string& ca_pem);

// Splits a PEM bundle into individual certificates.
std::vector<std::string> split_pem_certificates(const std::string& bundle);

// The public key of a certificate matches a private key.
bool key_matches_certificate(const std::string& private_key_pem, const std::string& cert_pem);

}  // namespace warden::pki
