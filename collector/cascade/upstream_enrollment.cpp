#include "collector/cascade/upstream_enrollment.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>

#include "collector/cascade/unit_batch_validator.hpp"
#include "common/enrollment_client.hpp"
#include "common/files.hpp"
#include "common/pki.hpp"
#include "common/tls.hpp"
#include "warden/v1/cascade.grpc.pb.h"

namespace warden::collector {

std::filesystem::path upstream_dir(const std::filesystem::path& data_dir) {
  return data_dir / "upstream";
}

std::optional<Upstream> load_upstream(const std::filesystem::path& data_dir) {
  auto dir = upstream_dir(data_dir);
  auto text = files::read_if_exists(dir / "upstream.json");
  if (!text) return std::nullopt;
  if (files::mode_of(dir / "unit.key") & 077)
    throw std::runtime_error((dir / "unit.key").string() + " is readable by others; chmod 600 it");
  Upstream u;
  try {
    auto j = nlohmann::json::parse(*text);
    u.address = j.at("upstream").get<std::string>();
    u.unit_id = j.at("unit_id").get<std::string>();
    u.unit_name = j.at("unit_name").get<std::string>();
    u.department = j.value("department", "");
    u.ca_fingerprint = j.at("ca_fingerprint").get<std::string>();
  } catch (const std::exception& e) {
    throw std::runtime_error((dir / "upstream.json").string() + " is damaged: " + e.what());
  }
  u.ca_pem = files::read(dir / "ca.crt");
  u.certificate_pem = files::read(dir / "unit.crt");
  u.key_pem = files::read(dir / "unit.key");
  if (!pki::fingerprint_matches(u.ca_fingerprint, pki::fingerprint(u.ca_pem)))
    throw std::runtime_error((dir / "ca.crt").string() +
                             " is not the CA pinned at enrollment; enroll again");
  return u;
}

Upstream enroll_upstream(const std::filesystem::path& data_dir,
                         const UpstreamEnrollOptions& options) {
  if (auto err = validate_unit_name(options.unit_name); !err.empty())
    throw std::invalid_argument("--unit-name: " + err);
  if (!pki::fingerprint_matches(options.ca_fingerprint, options.ca_fingerprint))
    throw std::invalid_argument("--ca-fingerprint must be SHA256:<64 hex digits>");
  if (!options.force && load_upstream(data_dir))
    throw std::runtime_error("this collector is already enrolled with a level above (" +
                             upstream_dir(data_dir).string() + "); use --force to enroll again");
  tls::enforce_tls13();
  auto chain = enrollment::fetch_server_chain(options.upstream);
  std::string ca_pem = enrollment::pin_ca(chain, options.ca_fingerprint);

  auto key = pki::generate_key();
  v1::EnrollUnitRequest req;
  req.set_token(options.token);
  req.set_unit_name(options.unit_name);
  req.set_csr_pem(pki::create_csr(key.private_key_pem, options.unit_name));
  auto stub = v1::CascadeService::NewStub(tls::collector_channel(options.upstream, ca_pem));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::EnrollUnitResponse resp;
  auto status = stub->EnrollUnit(&ctx, req, &resp);
  if (!status.ok()) throw std::runtime_error("the level above refused: " + status.error_message());
  auto info = pki::inspect_certificate(resp.certificate_pem());
  if (info.subject_cn != resp.unit_id() || !pki::verify_signed_by(resp.certificate_pem(), ca_pem) ||
      !pki::key_matches_certificate(key.private_key_pem, resp.certificate_pem()))
    throw std::runtime_error(
        "the level above returned a certificate that does not match this unit's key");

  Upstream u{options.upstream,         resp.unit_id(), options.unit_name,      resp.department(),
             pki::fingerprint(ca_pem), ca_pem,         resp.certificate_pem(), key.private_key_pem};
  auto dir = upstream_dir(data_dir);
  files::ensure_dir(data_dir, 0700);
  files::ensure_dir(dir, 0700);
  files::write_atomic(dir / "unit.key", u.key_pem, 0600);
  files::write_atomic(dir / "unit.crt", u.certificate_pem, 0644);
  files::write_atomic(dir / "ca.crt", u.ca_pem, 0644);
  nlohmann::json j = {{"upstream", u.address},
                      {"unit_id", u.unit_id},
                      {"unit_name", u.unit_name},
                      {"department", u.department},
                      {"ca_fingerprint", u.ca_fingerprint}};
  files::write_atomic(dir / "upstream.json", j.dump(2) + "\n", 0644);  // written last: complete
  // Run as root for a collector that runs as its own user: the files are the collector's.
  struct stat owner {};
  if (::geteuid() == 0 && ::stat(data_dir.c_str(), &owner) == 0 && owner.st_uid != 0)
    for (const auto& p :
         {dir, dir / "unit.key", dir / "unit.crt", dir / "ca.crt", dir / "upstream.json"})
      if (::chown(p.c_str(), owner.st_uid, owner.st_gid) != 0)
        throw std::runtime_error("cannot give " + p.string() + " to the collector's user");
  return u;
}

}  // namespace warden::collector
