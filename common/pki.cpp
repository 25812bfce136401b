#include "common/pki.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "common/text.hpp"

namespace warden::pki {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using X509Req = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;
using BigNum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

std::string openssl_error(const std::string& what) {
  unsigned long e = ERR_get_error();
  char buf[256] = {0};
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return what + (e ? std::string(": ") + buf : std::string());
}

[[noreturn]] void throw_ssl(const std::string& what) {
  throw std::runtime_error(openssl_error(what));
}

std::string bio_to_string(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  return mem ? std::string(mem->data, mem->length) : std::string();
}

Bio mem_bio(const std::string& data) {
  Bio b(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!b) throw_ssl("BIO_new_mem_buf");
  return b;
}

PKey load_private_key(const std::string& pem) {
  auto b = mem_bio(pem);
  PKey k(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
  if (!k) throw_ssl("cannot parse private key");
  return k;
}

X509Ptr load_cert(const std::string& pem) {
  auto b = mem_bio(pem);
  X509Ptr c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
  if (!c) throw std::invalid_argument(openssl_error("cannot parse certificate"));
  return c;
}

std::string cert_to_pem(X509* cert) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(b.get(), cert)) throw_ssl("PEM_write_bio_X509");
  return bio_to_string(b.get());
}

std::string key_to_pem(EVP_PKEY* key) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(b.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
    throw_ssl("PEM_write_bio_PrivateKey");
  return bio_to_string(b.get());
}

PKey new_ec_key() {
  PKey k(EVP_EC_gen("P-256"));
  if (!k) throw_ssl("EVP_EC_gen");
  return k;
}

void set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw_ssl("RAND_bytes");
  bytes[0] &= 0x7f;  // positive
  bytes[0] |= 0x01;  // and never shorter than 16 bytes
  BigNum bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) throw_ssl("serial");
}

void set_validity(X509* cert, std::chrono::days validity) {
  // Back-date by an hour to tolerate small clock differences between hosts.
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert),
                  std::chrono::duration_cast<std::chrono::seconds>(validity).count());
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) throw_ssl("extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

void set_name(X509_NAME* name, const std::string& cn, const std::string& ou,
              const std::string& org) {
  auto add = [&](const char* field, const std::string& v) {
    if (v.empty()) return;
    if (!X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0))
      throw_ssl(std::string("name field ") + field);
  };
  add("O", org);
  add("OU", ou);
  add("CN", cn);
}

std::string name_entry(X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

int64_t asn1_time_to_unix(const ASN1_TIME* t) {
  struct tm tm {};
  if (!ASN1_TIME_to_tm(t, &tm)) return 0;
#ifdef _WIN32
  return static_cast<int64_t>(_mkgmtime(&tm));
#else
  return static_cast<int64_t>(timegm(&tm));
#endif
}

void sign(X509* cert, EVP_PKEY* key) {
  if (!X509_sign(cert, key, EVP_sha256())) throw_ssl("X509_sign");
}

std::string normalize_fp(const std::string& fp) {
  std::string s = fp;
  auto colon = s.find(':');
  std::string prefix = "SHA256";
  if (colon != std::string::npos && colon <= 6) {
    prefix = s.substr(0, colon);
    s = s.substr(colon + 1);
  }
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::toupper);
  std::string hex;
  for (char c : s)
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c != ':')
      return {};
  return prefix + ":" + hex;
}

}  // namespace

KeyPair generate_key() {
  PKey k = new_ec_key();
  Bio b(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(b.get(), k.get())) throw_ssl("PEM_write_bio_PUBKEY");
  return {key_to_pem(k.get()), bio_to_string(b.get())};
}

CertificateBundle create_ca(const std::string& common_name, std::chrono::days validity) {
  PKey key = new_ec_key();
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  set_random_serial(cert.get());
  set_validity(cert.get(), validity);
  set_name(X509_get_subject_name(cert.get()), common_name, "", "Warden");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  sign(cert.get(), key.get());
  return {cert_to_pem(cert.get()), key_to_pem(key.get())};
}

CertificateBundle create_exchange_identity(const std::string& common_name,
                                           std::chrono::days validity) {
  PKey key = new_ec_key();
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  set_random_serial(cert.get());
  set_validity(cert.get(), validity);
  set_name(X509_get_subject_name(cert.get()), common_name, "exchange", "Warden");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  sign(cert.get(), key.get());
  return {cert_to_pem(cert.get()), key_to_pem(key.get())};
}

CertificateBundle issue_server_certificate(const CertificateBundle& ca,
                                           const std::string& common_name,
                                           const std::vector<std::string>& dns_names,
                                           const std::vector<std::string>& ip_addresses,
                                           std::chrono::days validity) {
  PKey ca_key = load_private_key(ca.private_key_pem);
  X509Ptr ca_cert = load_cert(ca.certificate_pem);
  PKey key = new_ec_key();
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  set_random_serial(cert.get());
  set_validity(cert.get(), validity);
  set_name(X509_get_subject_name(cert.get()), common_name, "collector", "Warden");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement");
  add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  if (!san.empty()) add_ext(cert.get(), ca_cert.get(), NID_subject_alt_name, san);
  add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  sign(cert.get(), ca_key.get());
  return {cert_to_pem(cert.get()), key_to_pem(key.get())};
}

std::string create_csr(const std::string& private_key_pem, const std::string& common_name) {
  PKey key = load_private_key(private_key_pem);
  X509Req req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  set_name(X509_REQ_get_subject_name(req.get()), common_name, "", "");
  X509_REQ_set_pubkey(req.get(), key.get());
  if (!X509_REQ_sign(req.get(), key.get(), EVP_sha256())) throw_ssl("X509_REQ_sign");
  Bio b(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509_REQ(b.get(), req.get())) throw_ssl("PEM_write_bio_X509_REQ");
  return bio_to_string(b.get());
}

std::string sign_client_csr(const CertificateBundle& ca, const std::string& csr_pem,
                            const std::string& agent_id, const std::string& department,
                            std::chrono::days validity) {
  auto b = mem_bio(csr_pem);
  X509Req req(PEM_read_bio_X509_REQ(b.get(), nullptr, nullptr, nullptr));
  if (!req) throw std::invalid_argument(openssl_error("CSR does not parse"));
  PKey req_key(X509_REQ_get_pubkey(req.get()));
  if (!req_key) throw std::invalid_argument("CSR has no public key");
  if (X509_REQ_verify(req.get(), req_key.get()) != 1)
    throw std::invalid_argument(openssl_error("CSR self-signature is invalid"));
  int bits = EVP_PKEY_get_bits(req_key.get());
  int type = EVP_PKEY_get_base_id(req_key.get());
  if (!((type == EVP_PKEY_EC && bits >= 256) || (type == EVP_PKEY_ED25519) ||
        (type == EVP_PKEY_RSA && bits >= 2048)))
    throw std::invalid_argument("CSR key is too weak (need EC P-256+, Ed25519 or RSA 2048+)");

  PKey ca_key = load_private_key(ca.private_key_pem);
  X509Ptr ca_cert = load_cert(ca.certificate_pem);
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  set_random_serial(cert.get());
  set_validity(cert.get(), validity);
  set_name(X509_get_subject_name(cert.get()), agent_id, department, "Warden agent");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  X509_set_pubkey(cert.get(), req_key.get());
  add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement");
  add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, "clientAuth");
  add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  sign(cert.get(), ca_key.get());
  return cert_to_pem(cert.get());
}

CertInfo inspect_certificate(const std::string& cert_pem) {
  X509Ptr cert = load_cert(cert_pem);
  CertInfo info;
  info.subject_cn = name_entry(X509_get_subject_name(cert.get()), NID_commonName);
  info.subject_ou = name_entry(X509_get_subject_name(cert.get()), NID_organizationalUnitName);
  info.issuer_cn = name_entry(X509_get_issuer_name(cert.get()), NID_commonName);
  BigNum bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr));
  if (bn) {
    char* hex = BN_bn2hex(bn.get());
    info.serial_hex = hex;
    OPENSSL_free(hex);
    std::transform(info.serial_hex.begin(), info.serial_hex.end(), info.serial_hex.begin(),
                   ::tolower);
  }
  info.not_before_s = asn1_time_to_unix(X509_get0_notBefore(cert.get()));
  info.not_after_s = asn1_time_to_unix(X509_get0_notAfter(cert.get()));
  info.is_ca = X509_check_ca(cert.get()) != 0;
  info.fingerprint = fingerprint(cert_pem);
  return info;
}

std::string fingerprint(const std::string& cert_pem) {
  X509Ptr cert = load_cert(cert_pem);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!X509_digest(cert.get(), EVP_sha256(), md, &n)) throw_ssl("X509_digest");
  std::string out =
      "SHA256:";  // appended, not `"..." + hex`: GCC 12 -O3 warns on that (-Wrestrict)
  out += text::hex(std::string_view(reinterpret_cast<const char*>(md), n));
  return out;
}

bool fingerprint_matches(const std::string& expected, const std::string& actual) {
  std::string a = normalize_fp(expected), b = normalize_fp(actual);
  return !a.empty() && a.size() == std::string("SHA256:").size() + 64 && a == b;
}

bool verify_signed_by(const std::string& cert_pem, const std::string& ca_pem) {
  X509Ptr cert = load_cert(cert_pem);
  X509Ptr ca = load_cert(ca_pem);
  if (X509_check_ca(ca.get()) == 0) return false;
  PKey ca_key(X509_get_pubkey(ca.get()));
  bool ok = ca_key && X509_verify(cert.get(), ca_key.get()) == 1;
  ERR_clear_error();
  return ok;
}

std::vector<std::string> split_pem_certificates(const std::string& bundle) {
  std::vector<std::string> out;
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const std::string end = "-----END CERTIFICATE-----";
  size_t pos = 0;
  while ((pos = bundle.find(begin, pos)) != std::string::npos) {
    size_t e = bundle.find(end, pos);
    if (e == std::string::npos) break;
    out.push_back(bundle.substr(pos, e + end.size() - pos) + "\n");
    pos = e + end.size();
  }
  return out;
}

bool key_matches_certificate(const std::string& private_key_pem, const std::string& cert_pem) {
  PKey key = load_private_key(private_key_pem);
  X509Ptr cert = load_cert(cert_pem);
  bool ok = X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace warden::pki
