#include "common/tls.hpp"

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <mutex>
#include <stdexcept>

#include "common/validate.hpp"

namespace warden::tls {

void enforce_tls13() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Load the distribution's configuration first so that ours is applied last and wins.
    OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, nullptr);
    static const char kConf[] =
        "warden_conf = warden_init\n"
        "[warden_init]\n"
        "ssl_conf = warden_ssl\n"
        "[warden_ssl]\n"
        "system_default = warden_tls13\n"
        "[warden_tls13]\n"
        "MinProtocol = TLSv1.3\n"
        "Protocol = -ALL, TLSv1.3\n";
    CONF* conf = NCONF_new(nullptr);
    BIO* bio = BIO_new_mem_buf(kConf, -1);
    long errline = 0;
    bool ok = conf && bio && NCONF_load_bio(conf, bio, &errline) > 0 &&
              CONF_modules_load(conf, "warden_conf", 0) > 0;
    BIO_free(bio);
    NCONF_free(conf);
    if (!ok) {
      ERR_clear_error();
      throw std::runtime_error("cannot configure OpenSSL for TLS 1.3 only");
    }
  });
}

std::shared_ptr<grpc::ServerCredentials> server_credentials(const std::string& cert_chain_pem,
                                                            const std::string& key_pem,
                                                            const std::string& client_ca_pem,
                                                            ClientCertificate clients) {
  enforce_tls13();
  grpc::SslServerCredentialsOptions opts(
      clients == ClientCertificate::required
          ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
          : (clients == ClientCertificate::not_requested
                 ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                 : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY));
  opts.pem_root_certs = client_ca_pem;
  opts.pem_key_cert_pairs.push_back({key_pem, cert_chain_pem});
  return grpc::SslServerCredentials(opts);
}

std::shared_ptr<grpc::Channel> collector_channel(const std::string& target,
                                                 const std::string& ca_pem,
                                                 const std::string& client_cert_pem,
                                                 const std::string& client_key_pem) {
  enforce_tls13();
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = ca_pem;
  opts.pem_cert_chain = client_cert_pem;
  opts.pem_private_key = client_key_pem;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(kCollectorTlsName);
  args.SetMaxReceiveMessageSize(static_cast<int>(validate::kMaxMessageBytes));
  args.SetMaxSendMessageSize(static_cast<int>(validate::kMaxMessageBytes));
  // Keepalive lets both ends notice a dead peer (a PC switched off) within a couple of minutes.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(opts), args);
}

}  // namespace warden::tls
