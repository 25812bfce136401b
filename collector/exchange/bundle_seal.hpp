// Sealing an exchange bundle for one recipient, and opening one (docs/exchange.md): CMS (RFC 5652,
// OpenSSL) SignedData by the sender's exchange key, inside AuthEnvelopedData (AES-256-GCM, the
// content key agreed by ECDH with the recipient's exchange certificate). Signing inside the
// envelope keeps who sent it secret from whoever carries the file; the recipient's fingerprint is
// also inside the signed content, so a bundle cannot be re-addressed to someone else.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace warden::collector {

inline constexpr size_t kMaxBundleBytes = 64 * 1024 * 1024;

struct ExchangeKey {
  std::string certificate_pem;
  std::string private_key_pem;
};

// The sealed DER bytes. Throws std::runtime_error when OpenSSL fails (a key that does not load).
std::string seal_bundle(const std::string& content, const ExchangeKey& sender,
                        const std::string& recipient_certificate_pem);

struct OpenedBundle {
  std::string content;
  std::string signer_fingerprint;  // one of `trusted`
};

// Decrypts with `own` and verifies the one signature against the pinned certificates in
// `trusted`. Throws Failure with a message a person can act on:
//   invalid   — not a bundle, damaged or altered (the authentication tag or signature fails);
//   denied    — not addressed to this collector, or signed by a collector not pinned here.
OpenedBundle open_bundle(const std::string& sealed, const ExchangeKey& own,
                         const std::vector<std::string>& trusted_certificates_pem);

}  // namespace warden::collector
