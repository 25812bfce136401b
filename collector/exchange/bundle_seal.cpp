#include "collector/exchange/bundle_seal.hpp"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

#include "common/pki.hpp"

namespace warden::collector {

namespace {

struct FreeBio {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
struct FreeX509 {
  void operator()(X509* x) const { X509_free(x); }
};
struct FreeKey {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct FreeCms {
  void operator()(CMS_ContentInfo* c) const { CMS_ContentInfo_free(c); }
};
struct FreeStack {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }  // the certificates are owned
};
using Bio = std::unique_ptr<BIO, FreeBio>;
using Cert = std::unique_ptr<X509, FreeX509>;
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cms = std::unique_ptr<CMS_ContentInfo, FreeCms>;
using Stack = std::unique_ptr<STACK_OF(X509), FreeStack>;

std::string ssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = "unknown error";
  if (code) ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  return what + ": " + buf;
}

Bio memory(const std::string& data) {
  Bio b(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!b) throw std::runtime_error(ssl_error("BIO_new_mem_buf"));
  return b;
}

std::string drain(BIO* b) {
  char* p = nullptr;
  long n = BIO_get_mem_data(b, &p);
  return n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string();
}

Cert load_cert(const std::string& pem) {
  auto b = memory(pem);
  Cert c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
  if (!c) throw std::runtime_error(ssl_error("exchange certificate"));
  return c;
}

Key load_key(const std::string& pem) {
  auto b = memory(pem);
  Key k(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
  if (!k) throw std::runtime_error(ssl_error("exchange key"));
  return k;
}

std::string to_der(CMS_ContentInfo* cms) {
  Bio out(BIO_new(BIO_s_mem()));
  if (!out || !i2d_CMS_bio(out.get(), cms)) throw std::runtime_error(ssl_error("i2d_CMS_bio"));
  return drain(out.get());
}

Cms from_der(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  return cms;
}

// Whether `cert` is one of the envelope's recipients (ECDH key agreement, by issuer and serial).
bool addressed_to(CMS_ContentInfo* env, X509* cert) {
  STACK_OF(CMS_RecipientInfo)* ris = CMS_get0_RecipientInfos(env);
  for (int i = 0; ris && i < sk_CMS_RecipientInfo_num(ris); ++i) {
    CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(ris, i);
    if (CMS_RecipientInfo_type(ri) != CMS_RECIPINFO_AGREE) continue;
    STACK_OF(CMS_RecipientEncryptedKey)* reks = CMS_RecipientInfo_kari_get0_reks(ri);
    for (int j = 0; reks && j < sk_CMS_RecipientEncryptedKey_num(reks); ++j)
      if (CMS_RecipientEncryptedKey_cert_cmp(sk_CMS_RecipientEncryptedKey_value(reks, j), cert) ==
          0)
        return true;
  }
  ERR_clear_error();
  return false;
}

}  // namespace

std::string seal_bundle(const std::string& content, const ExchangeKey& sender,
                        const std::string& recipient_certificate_pem) {
  if (content.size() > kMaxBundleBytes - (1u << 20))  // room for the envelope
    throw Failure(
        invalid("the bundle would be larger than 64 MiB: export a shorter period "
                "with --since"));
  Cert signer = load_cert(sender.certificate_pem);
  Key key = load_key(sender.private_key_pem);
  Cert recipient = load_cert(recipient_certificate_pem);

  auto in = memory(content);
  // The signer's certificate is left out: the recipient pinned it, and only that one verifies.
  Cms sig(CMS_sign(signer.get(), key.get(), nullptr, in.get(),
                   CMS_BINARY | CMS_NOSMIMECAP | CMS_NOCERTS));
  if (!sig) throw std::runtime_error(ssl_error("CMS_sign"));
  std::string signed_der = to_der(sig.get());

  Stack recipients(sk_X509_new_null());
  if (!recipients || !sk_X509_push(recipients.get(), recipient.get()))
    throw std::runtime_error(ssl_error("sk_X509_push"));
  auto inner = memory(signed_der);
  // AES-256-GCM: OpenSSL makes AuthEnvelopedData for an AEAD cipher, so any change to the file
  // fails the authentication tag before anything is parsed.
  Cms env(CMS_encrypt(recipients.get(), inner.get(), EVP_aes_256_gcm(), CMS_BINARY));
  if (!env) throw std::runtime_error(ssl_error("CMS_encrypt"));
  return to_der(env.get());
}

OpenedBundle open_bundle(const std::string& sealed, const ExchangeKey& own,
                         const std::vector<std::string>& trusted_certificates_pem) {
  if (sealed.empty()) throw Failure(invalid("the file is empty: not an exchange bundle"));
  if (sealed.size() > kMaxBundleBytes)
    throw Failure(invalid("the file is larger than 64 MiB: not an exchange bundle"));
  Cms env = from_der(sealed);
  if (!env || OBJ_obj2nid(CMS_get0_type(env.get())) != NID_id_smime_ct_authEnvelopedData)
    throw Failure(invalid("not a Warden exchange bundle (no authenticated CMS envelope)"));
  Cert me = load_cert(own.certificate_pem);
  Key key = load_key(own.private_key_pem);
  if (!addressed_to(env.get(), me.get()))
    throw Failure(
        denied("the bundle is not addressed to this collector: it was sealed for "
               "another collector's exchange certificate"));
  Bio plain(BIO_new(BIO_s_mem()));
  if (!plain) throw std::runtime_error(ssl_error("BIO_new"));
  if (!CMS_decrypt(env.get(), key.get(), me.get(), nullptr, plain.get(), CMS_BINARY)) {
    ERR_clear_error();
    throw Failure(
        invalid("the bundle is damaged or was altered: it does not decrypt (the "
                "authentication tag does not match)"));
  }
  std::string signed_der = drain(plain.get());

  Cms sig = from_der(signed_der);
  if (!sig || OBJ_obj2nid(CMS_get0_type(sig.get())) != NID_pkcs7_signed)
    throw Failure(invalid("the bundle holds no signed content"));
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(sig.get());
  if (!signers || sk_CMS_SignerInfo_num(signers) != 1)
    throw Failure(invalid("the bundle must carry exactly one signature"));
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);

  std::vector<Cert> trusted;
  Stack stack(sk_X509_new_null());
  if (!stack) throw std::runtime_error(ssl_error("sk_X509_new_null"));
  std::string signer_fingerprint;
  for (const auto& pem : trusted_certificates_pem) {
    trusted.push_back(load_cert(pem));
    if (!sk_X509_push(stack.get(), trusted.back().get()))
      throw std::runtime_error(ssl_error("sk_X509_push"));
    if (signer_fingerprint.empty() && CMS_SignerInfo_cert_cmp(si, trusted.back().get()) == 0)
      signer_fingerprint = pki::fingerprint(pem);
  }
  if (signer_fingerprint.empty())
    throw Failure(
        denied("the bundle is signed by a collector that is not pinned here: add it "
               "first with `wardenctl exchange peer add`"));
  Bio content(BIO_new(BIO_s_mem()));
  if (!content) throw std::runtime_error(ssl_error("BIO_new"));
  // Only the pinned certificates count (NOINTERN); they are trusted by fingerprint, not by a CA.
  if (!CMS_verify(sig.get(), stack.get(), nullptr, nullptr, content.get(),
                  CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY)) {
    ERR_clear_error();
    throw Failure(invalid("the bundle was altered: its signature does not verify"));
  }
  return {drain(content.get()), signer_fingerprint};
}

}  // namespace warden::collector
