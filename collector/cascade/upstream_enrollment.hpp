// A unit's collector and the level above: the enrollment (`warden-collector upstream enroll`)
// and the credentials it leaves in <data-dir>/upstream/ (upstream.json, ca.crt, unit.crt, and
// unit.key, mode 0600), which the running collector loads to forward (upstream_link.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace warden::collector {

struct Upstream {
  std::string address;         // HOST:PORT of the level above
  std::string unit_id;         // our certificate's CN there
  std::string unit_name;       // how the level above lists us
  std::string department;      // where its token placed us
  std::string ca_fingerprint;  // SHA256:... of its CA, pinned at enrollment
  std::string ca_pem, certificate_pem, key_pem;
};

struct UpstreamEnrollOptions {
  std::string upstream;  // HOST:PORT
  std::string token;
  std::string ca_fingerprint;
  std::string unit_name;
  bool force = false;  // enroll again over existing credentials
};

std::filesystem::path upstream_dir(const std::filesystem::path& data_dir);
// nullopt when this collector has not enrolled with a level above.
std::optional<Upstream> load_upstream(const std::filesystem::path& data_dir);
// Pins the level above's CA by fingerprint, spends the token for a certificate and saves the
// credentials. Throws with a clear message on any failure; nothing is saved then.
Upstream enroll_upstream(const std::filesystem::path& data_dir,
                         const UpstreamEnrollOptions& options);

}  // namespace warden::collector
