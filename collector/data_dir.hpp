// The collector's data directory: database, private CA, server certificate, admin socket.
// First start creates everything; later starts load it and check permissions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/pki.hpp"

namespace warden::collector {

struct DataDir {
  std::filesystem::path root;
  std::filesystem::path database() const { return root / "warden.db"; }
  std::filesystem::path ca_cert() const { return root / "ca.crt"; }
  std::filesystem::path ca_key() const { return root / "ca.key"; }
  std::filesystem::path server_cert() const { return root / "server.crt"; }
  std::filesystem::path server_key() const { return root / "server.key"; }
  std::filesystem::path admin_socket() const { return root / "admin.sock"; }
  std::filesystem::path lock_file() const { return root / "collector.lock"; }
};

// An exclusive flock on <data-dir>/collector.lock, held while a collector serves the directory:
// a second collector on the same directory, or a restore under a running one, is refused.
class DataDirLock {
 public:
  // Throws if another process holds the lock.
  explicit DataDirLock(const DataDir& dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

struct CollectorPki {
  pki::CertificateBundle ca;
  pki::CertificateBundle server;  // certificate_pem holds the chain: server certificate, then CA
};

// Creates the directory (0700), the CA (EC P-256, key 0600) and a server certificate naming
// warden-collector, localhost, this host's name and `extra_names` (host names or IPs the agents
// dial) if they do not exist; loads them otherwise. Refuses to run with a world/group-readable key.
CollectorPki bootstrap_data_dir(const DataDir& dir, const std::vector<std::string>& extra_names);

// "SHA256:<hex>" of the CA certificate in `dir`; throws if there is none.
std::string ca_fingerprint(const DataDir& dir);

}  // namespace warden::collector
