#include "collector/data_dir.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
    std::vector<std::string> dns = {tls::kCollectorTlsName, "localhost"};
    std::vector<std::string> ips = {"127.0.0.1", "::1"};
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) == 0 && host[0]) dns.emplace_back(host);
    for (const auto& n : extra_names) {
      if (n.empty() || n == "0.0.0.0" || n == "::") continue;
      (is_ip(n) ? ips : dns).push_back(n);
    }
    auto server =
        pki::issue_server_certificate(out.ca, "warden-collector", dns, ips, std::chrono::days(825));
    files::write_atomic(dir.server_key(), server.private_key_pem, 0600);
    files::write_atomic(dir.server_cert(), server.certificate_pem + out.ca.certificate_pem, 0644);
  } else {
    require_private(dir.server_key());
  }
  out.server = {files::read(dir.server_cert()), files::read(dir.server_key())};
  return out;
}

DataDirLock::DataDirLock(const DataDir& dir) {
  fd_ = ::open(dir.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + dir.lock_file().string() + ": " + strerror(errno));
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
