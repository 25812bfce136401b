#include <catch2/catch.hpp>

#include "common/pki.hpp"

using namespace warden::pki;
using namespace std::chrono_literals;

TEST_CASE("a CA issues server and client certificates that verify against it only") {
  auto ca = create_ca("Warden test CA", std::chrono::days(3650));
  auto info = inspect_certificate(ca.certificate_pem);
  CHECK(info.is_ca);
  CHECK(info.subject_cn == "Warden test CA");
  CHECK(info.fingerprint.rfind("SHA256:", 0) == 0);
  CHECK(info.fingerprint.size() == 7 + 64);

  auto server = issue_server_certificate(ca, "collector", {"warden-collector", "localhost"},
                                         {"127.0.0.1"}, std::chrono::days(825));
  CHECK(verify_signed_by(server.certificate_pem, ca.certificate_pem));
  CHECK_FALSE(inspect_certificate(server.certificate_pem).is_ca);

  auto key = generate_key();
  auto csr = create_csr(key.private_key_pem, "ignored-name");
  auto client = sign_client_csr(ca, csr, "agent-123", "Finance", std::chrono::days(365));
  auto ci = inspect_certificate(client);
  CHECK(ci.subject_cn == "agent-123");  // the collector's choice, not the CSR's
  CHECK(ci.subject_ou == "Finance");
  CHECK(ci.serial_hex.size() >= 30);
  CHECK(key_matches_certificate(key.private_key_pem, client));
  CHECK(verify_signed_by(client, ca.certificate_pem));

  auto other = create_ca("Other CA", std::chrono::days(10));
  CHECK_FALSE(verify_signed_by(client, other.certificate_pem));
  CHECK_FALSE(fingerprint_matches(info.fingerprint, fingerprint(other.certificate_pem)));
}

TEST_CASE("fingerprints compare case- and separator-insensitively, and only when complete") {
  auto ca = create_ca("x", std::chrono::days(1));
  std::string fp = fingerprint(ca.certificate_pem);
  std::string upper = fp;
  for (auto& c : upper) c = static_cast<char>(toupper(c));
  CHECK(fingerprint_matches(upper, fp));
  std::string with_colons = "SHA256:";
  for (size_t i = 7; i < fp.size(); i += 2)
    with_colons += fp.substr(i, 2) + (i + 2 < fp.size() ? ":" : "");
  CHECK(fingerprint_matches(with_colons, fp));
  CHECK_FALSE(fingerprint_matches(fp.substr(0, 20), fp.substr(0, 20)));
  CHECK_FALSE(fingerprint_matches("", ""));
}

TEST_CASE("garbage CSRs are refused with a reason") {
  auto ca = create_ca("x", std::chrono::days(1));
  CHECK_THROWS_AS(sign_client_csr(ca, "not a csr", "a", "d", std::chrono::days(1)),
                  std::invalid_argument);
  auto key = generate_key();
  auto csr = create_csr(key.private_key_pem, "n");
  // Flip a byte inside the base64 body: signature or structure breaks.
  auto pos = csr.find('\n') + 40;
  csr[pos] = csr[pos] == 'A' ? 'B' : 'A';
  CHECK_THROWS(sign_client_csr(ca, csr, "a", "d", std::chrono::days(1)));
}
