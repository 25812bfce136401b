// Agent certificate renewal with real keys and certificates from a real (test) CA.
#include <catch2/catch.hpp>

#include "agent/certificate_renewal.hpp"
#include "common/files.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
namespace fs = std::filesystem;

namespace {
constexpr auto kDay = std::chrono::hours(24);

struct Identity {
  pki::CertificateBundle ca = pki::create_ca("test CA", std::chrono::days(30));
  test::TempDir dir;
  AgentState state{dir.path()};
  Identity() {
    auto key = pki::generate_key();
    auto cert = pki::sign_client_csr(ca, pki::create_csr(key.private_key_pem, "x"), "a-1",
                                     "Finance", std::chrono::days(10));
    files::write_atomic(state.key_path(), key.private_key_pem, 0600);
    files::write_atomic(state.cert_path(), cert, 0644);
    files::write_atomic(state.ca_path(), ca.certificate_pem, 0644);
  }
  std::string sign(const std::string& csr, const std::string& cn = "a-1") {
    return pki::sign_client_csr(ca, csr, cn, "Finance", std::chrono::days(10));
  }
};
}  // namespace

TEST_CASE("renewal is due near the end of a certificate's life") {
  pki::CertInfo c;
  c.not_before_s = 0;
  c.not_after_s = 300 * 86400;
  auto before = std::chrono::duration_cast<std::chrono::seconds>(30 * kDay);
  CHECK_FALSE(renewal_due(c, 10 * 86400, before));
  CHECK_FALSE(renewal_due(c, 199 * 86400, before));
  CHECK(renewal_due(c, 201 * 86400, before));  // less than a third left
  CHECK(renewal_due(c, 299 * 86400, before));
  CHECK(renewal_due(c, 10 * 86400, std::chrono::duration_cast<std::chrono::seconds>(400 * kDay)));
}

TEST_CASE("a renewed certificate is checked and installed with its new key") {
  Identity id;
  CertificateRenewal renewal(id.state);
  auto old_cert = files::read(id.state.cert_path());
  auto old_key = files::read(id.state.key_path());
  std::string why;
  CHECK_FALSE(renewal.complete(id.sign(pki::create_csr(old_key, "a-1")), &why));
  CHECK(why == "no renewal was requested");

  auto csr = renewal.begin("a-1");
  CHECK(files::mode_of(id.dir / "agent.key.next") == 0600);

  SECTION("the right certificate is installed") {
    REQUIRE(renewal.complete(id.sign(csr), &why));
    auto cert = files::read(id.state.cert_path());
    CHECK(cert != old_cert);
    CHECK(pki::key_matches_certificate(files::read(id.state.key_path()), cert));
    CHECK(files::mode_of(id.state.key_path()) == 0600);
    CHECK_FALSE(fs::exists(id.dir / "agent.key.next"));
  }
  SECTION("certificates for someone else, from another CA or for another key are refused") {
    CHECK_FALSE(renewal.complete(id.sign(csr, "a-2"), &why));
    CHECK(why.find("not this agent") != std::string::npos);
    auto other_ca = pki::create_ca("other", std::chrono::days(30));
    CHECK_FALSE(renewal.complete(
        pki::sign_client_csr(other_ca, csr, "a-1", "Finance", std::chrono::days(10)), &why));
    CHECK(why == "not signed by the pinned CA");
    CHECK_FALSE(renewal.complete(id.sign(pki::create_csr(old_key, "a-1")), &why));
    CHECK(why == "does not match the new key");
    CHECK(files::read(id.state.cert_path()) == old_cert);
    CHECK(files::read(id.state.key_path()) == old_key);
  }
}

TEST_CASE("an interrupted renewal is finished or discarded at the next start") {
  Identity id;
  CertificateRenewal renewal(id.state);
  auto old_key = files::read(id.state.key_path());
  auto csr = renewal.begin("a-1");
  auto new_key = files::read(id.dir / "agent.key.next");
  auto cert = id.sign(csr);

  SECTION("stopped before the answer: the half-made key is dropped, the old identity stays") {
    renewal.recover();
    CHECK_FALSE(fs::exists(id.dir / "agent.key.next"));
    CHECK(files::read(id.state.key_path()) == old_key);
  }
  SECTION("stopped after writing the certificate: both files are installed") {
    files::write_atomic(id.dir / "agent.crt.next", cert, 0644);
    renewal.recover();
    CHECK(files::read(id.state.key_path()) == new_key);
    CHECK(files::read(id.state.cert_path()) == cert);
  }
  SECTION("stopped between the two renames: the certificate follows its key") {
    files::write_atomic(id.dir / "agent.crt.next", cert, 0644);
    fs::rename(id.dir / "agent.key.next", id.state.key_path());
    renewal.recover();
    CHECK(files::read(id.state.cert_path()) == cert);
    CHECK(pki::key_matches_certificate(files::read(id.state.key_path()), cert));
  }
}
