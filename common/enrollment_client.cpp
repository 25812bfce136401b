#include "common/enrollment_client.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "common/pki.hpp"
#include "common/text.hpp"
#include "common/tls.hpp"

namespace warden::enrollment {

std::string read_enrollment_token(const std::string& path) {
  constexpr size_t kMax = 4096;
  std::string text;
  if (path == "-") {
    char buf[kMax + 1];
    std::cin.read(buf, sizeof buf);
    text.assign(buf, static_cast<size_t>(std::cin.gcount()));
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the token file " + path);
    char buf[kMax + 1];
    in.read(buf, sizeof buf);
    text.assign(buf, static_cast<size_t>(in.gcount()));
  }
  if (text.size() > kMax)
    throw std::runtime_error("the token file " + path + " is larger than a token can be (4 KiB)");
  text = text::trim(text);
  if (text.empty())
    throw std::runtime_error("no enrollment token in " + (path == "-" ? "standard input" : path));
  return text;
}

std::vector<std::string> fetch_server_chain(const std::string& host_port, int timeout_ms) {
  tls::enforce_tls13();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  if (!ctx) throw std::runtime_error("cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // pinned by fingerprint below
  // gRPC speaks HTTP/2 only: offer h2 so the server completes the handshake.
  static const unsigned char alpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), alpn, sizeof alpn);
  std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(BIO_new_ssl_connect(ctx.get()), BIO_free_all);
  if (!bio) throw std::runtime_error("cannot create a TLS connection");
  BIO_set_conn_hostname(bio.get(), host_port.c_str());
  SSL* ssl = nullptr;
  BIO_get_ssl(bio.get(), &ssl);
  SSL_set_tlsext_host_name(ssl, tls::kCollectorTlsName);
  (void)timeout_ms;  // the kernel's connect timeout applies; the collector answers or refuses fast
  if (BIO_do_connect(bio.get()) <= 0 || BIO_do_handshake(bio.get()) <= 0) {
    unsigned long e = ERR_get_error();
    char buf[256] = "unknown error";
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    throw std::runtime_error("cannot reach the collector at " + host_port +
                             " over TLS 1.3: " + buf);
  }
  std::vector<std::string> out;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain && i < sk_X509_num(chain); ++i) {
    std::unique_ptr<BIO, decltype(&BIO_free_all)> mem(BIO_new(BIO_s_mem()), BIO_free_all);
    PEM_write_bio_X509(mem.get(), sk_X509_value(chain, i));
    BUF_MEM* buf = nullptr;
    BIO_get_mem_ptr(mem.get(), &buf);
    out.emplace_back(buf->data, buf->length);
  }
  if (out.empty())
    throw std::runtime_error("the collector at " + host_port + " sent no certificate");
  return out;
}

std::string pin_ca(const std::vector<std::string>& chain, const std::string& fingerprint) {
  for (const auto& pem : chain) {
    if (!pki::fingerprint_matches(fingerprint, pki::fingerprint(pem))) continue;
    if (!pki::inspect_certificate(pem).is_ca) continue;
    if (!pki::verify_signed_by(chain.front(), pem))
      throw std::runtime_error("the pinned CA did not sign the collector's certificate; refusing");
    return pem;
  }
  std::string seen;
  for (const auto& pem : chain) seen += "\n  " + pki::fingerprint(pem);
  throw std::runtime_error(
      "the collector's CA does not match the fingerprint " + fingerprint + " (it presented:" +
      seen + ")\nCheck the fingerprint with `warden-collector ca-fingerprint` on the collector.");
}

}  // namespace warden::enrollment
