#include "collector/data_dir.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "common/files.hpp"
#include "common/log.hpp"
#include "common/tls.hpp"

namespace warden::collector {

namespace {

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

void require_private(const std::filesystem::path& p) {
  unsigned mode = files::mode_of(p);
  if (mode & 077) {
    char octal[8];
    snprintf(octal, sizeof octal, "%o", mode & 0777);
    throw std::runtime_error(p.string() + " is readable by others (mode " + octal +
                             "); run: chmod 600 " + p.string());
  }
}

// The names of `extra_names` the certificate does not cover (DNS names or IP addresses).
std::vector<std::string> names_missing_from(const std::string& cert_pem,
                                            const std::vector<std::string>& extra_names) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free);
  if (!cert) throw std::runtime_error("the server certificate does not parse");
  std::vector<std::string> missing;
  for (const auto& n : extra_names) {
    if (n.empty() || n == "0.0.0.0" || n == "::") continue;
    bool covered = is_ip(n) ? X509_check_ip_asc(cert.get(), n.c_str(), 0) == 1
                            : X509_check_host(cert.get(), n.c_str(), n.size(),
                                              X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
    if (!covered) missing.push_back(n);
  }
  return missing;
}

void issue_server_certificate(const DataDir& dir, const pki::CertificateBundle& ca,
                              const std::vector<std::string>& extra_names) {
  std::vector<std::string> dns = {tls::kCollectorTlsName, "localhost"};
  std::vector<std::string> ips = {"127.0.0.1", "::1"};
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) == 0 && host[0]) dns.emplace_back(host);
  for (const auto& n : extra_names) {
    if (n.empty() || n == "0.0.0.0" || n == "::") continue;
    (is_ip(n) ? ips : dns).push_back(n);
  }
  auto server =
      pki::issue_server_certificate(ca, "warden-collector", dns, ips, std::chrono::days(825));
  files::write_atomic(dir.server_key(), server.private_key_pem, 0600);
  files::write_atomic(dir.server_cert(), server.certificate_pem + ca.certificate_pem, 0644);
}

}  // namespace

CollectorPki bootstrap_data_dir(const DataDir& dir, const std::vector<std::string>& extra_names) {
  if (!std::filesystem::exists(dir.root)) {
    files::ensure_dir(dir.root, 0700);
    LOG_INFO("collector", "created data directory " << dir.root.string());
  }
  CollectorPki out;
  if (!std::filesystem::exists(dir.ca_cert())) {
    out.ca = pki::create_ca("Warden collector CA", std::chrono::days(3650));
    files::write_atomic(dir.ca_key(), out.ca.private_key_pem, 0600);
    files::write_atomic(dir.ca_cert(), out.ca.certificate_pem, 0644);
    LOG_INFO("collector", "created CA " << pki::fingerprint(out.ca.certificate_pem));
  } else {
    require_private(dir.ca_key());
    out.ca = {files::read(dir.ca_cert()), files::read(dir.ca_key())};
  }
  if (!std::filesystem::exists(dir.server_cert())) {
    issue_server_certificate(dir, out.ca, extra_names);
  } else {
    require_private(dir.server_key());
    // A name added to server_names later: the same CA issues a certificate that names it too
    // (agents pin the CA, not the server certificate, so they accept it at once).
    auto missing = names_missing_from(files::read(dir.server_cert()), extra_names);
    if (!missing.empty()) {
      std::string list;
      for (const auto& n : missing) list += (list.empty() ? "" : ", ") + n;
      issue_server_certificate(dir, out.ca, extra_names);
      LOG_INFO("collector",
               "the server certificate did not name " << list << "; issued a new one that does");
    }
  }
  out.server = {files::read(dir.server_cert()), files::read(dir.server_key())};
  return out;
}

DataDirLock::DataDirLock(const DataDir& dir) {
  fd_ = ::open(dir.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    int err = errno;
    std::string why = "cannot open " + dir.lock_file().string() + ": " + strerror(err);
    struct stat st {};
    bool owner_known = stat(dir.lock_file().c_str(), &st) == 0 || stat(dir.root.c_str(), &st) == 0;
    if (err == EACCES && owner_known && st.st_uid != geteuid()) {
      // Typically a data directory restored or copied by root for the service's user.
      auto* pw = getpwuid(st.st_uid);
      std::string owner = pw ? pw->pw_name : "uid " + std::to_string(st.st_uid);
      auto* me = getpwuid(geteuid());
      std::string user = me ? me->pw_name : "uid " + std::to_string(geteuid());
      why += " (" + dir.root.string() + " belongs to " + owner + ", this collector runs as " +
             user + "; give the directory to " + user + ": chown -R " + user + ": " +
             dir.root.string() + ")";
    }
    throw std::runtime_error(why);
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("another warden-collector is using " + dir.root.string());
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string ca_fingerprint(const DataDir& dir) {
  auto pem = files::read_if_exists(dir.ca_cert());
  if (!pem)
    throw std::runtime_error("no CA certificate in " + dir.root.string() +
                             " (start the collector once to create it)");
  return pki::fingerprint(*pem);
}

}  // namespace warden::collector
