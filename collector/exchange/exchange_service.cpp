#include "collector/exchange/exchange_service.hpp"

#include <openssl/evp.h>

#include <cstdio>

#include "collector/cascade/unit_batch_validator.hpp"
#include "collector/exchange/bundle_validator.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/pki.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

constexpr size_t kMaxCertificateBytes = 16 * 1024;

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr))
    throw std::runtime_error("EVP_Digest failed");
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

v1::ExchangePeer to_message(const ExchangePeerRecord& p) {
  v1::ExchangePeer m;
  m.set_name(p.name);
  m.set_fingerprint(p.fingerprint);
  m.set_role(p.role);
  m.set_department(p.department);
  m.set_added_at_ms(p.added_at_ms);
  m.set_exported_seq(p.exported_seq);
  m.set_imported_seq(p.imported_seq);
  m.set_imported_at_ms(p.imported_at_ms);
  return m;
}

v1::ExchangeUsbDevice to_message(const DriveRecord& d) {
  v1::ExchangeUsbDevice m;
  m.set_vendor_id(d.vendor_id);
  m.set_product_id(d.product_id);
  m.set_serial(d.serial);
  m.set_registered_class(d.registered_class);
  for (const auto& c : d.classes_seen) m.add_classes_seen(c);
  m.set_first_seen_ms(d.first_seen_ms);
  m.set_last_seen_ms(d.last_seen_ms);
  return m;
}

DriveRecord from_message(const v1::ExchangeUsbDevice& m) {
  DriveRecord d;
  d.vendor_id = m.vendor_id();
  d.product_id = m.product_id();
  d.serial = m.serial();
  d.registered_class = m.registered_class();
  d.classes_seen.insert(m.classes_seen().begin(), m.classes_seen().end());
  d.first_seen_ms = m.first_seen_ms();
  d.last_seen_ms = m.last_seen_ms();
  return d;
}

v1::CrossNetworkDrive to_message(const CrossNetworkUse& c) {
  v1::CrossNetworkDrive m;
  m.set_vendor_id(c.here.vendor_id);
  m.set_product_id(c.here.product_id);
  m.set_serial(c.here.serial);
  m.set_registered_here(c.here.registered_class);
  m.set_registered_there(c.there.registered_class);
  for (const auto& k : c.here.classes_seen) m.add_classes_here(k);
  for (const auto& k : c.there.classes_seen) m.add_classes_there(k);
  return m;
}

}  // namespace

ExchangeService::ExchangeService(ExchangeStore& store, CascadeStore& cascade,
                                 ExchangeSettings settings, OnlineAgents online, const Clock& clock)
    : store_(store),
      cascade_(cascade),
      settings_(std::move(settings)),
      online_(std::move(online)),
      clock_(clock) {}

ExchangeKey ExchangeService::key() {
  std::lock_guard lock(identity_mu_);
  if (key_) return *key_;
  auto cert_path = settings_.identity_dir / "identity.crt";
  auto key_path = settings_.identity_dir / "identity.key";
  auto cert = files::read_if_exists(cert_path, kMaxCertificateBytes);
  auto key = files::read_if_exists(key_path, kMaxCertificateBytes);
  if (cert && key) {
    if (files::mode_of(key_path) & 077)
      throw Failure(internal(key_path.string() + " is readable by others: chmod 600 it"));
    if (!pki::key_matches_certificate(*key, *cert))
      throw Failure(internal(key_path.string() + " does not belong to " + cert_path.string()));
    key_ = ExchangeKey{*cert, *key};
    return *key_;
  }
  if (cert || key)
    throw Failure(internal("half an exchange identity in " + settings_.identity_dir.string() +
                           ": restore both identity.crt and identity.key, or remove both"));
  auto made = pki::create_exchange_identity("Warden exchange", std::chrono::days(20 * 365));
  files::ensure_dir(settings_.identity_dir, 0700);
  files::write_atomic(key_path, made.private_key_pem, 0600);
  files::write_atomic(cert_path, made.certificate_pem, 0644);
  LOG_INFO("exchange", "exchange identity created: " << pki::fingerprint(made.certificate_pem));
  key_ = ExchangeKey{made.certificate_pem, made.private_key_pem};
  return *key_;
}

v1::ExchangeIdentity ExchangeService::identity() {
  auto k = key();
  v1::ExchangeIdentity id;
  id.set_name(settings_.unit_name);
  id.set_fingerprint(pki::fingerprint(k.certificate_pem));
  id.set_certificate_pem(k.certificate_pem);
  return id;
}

v1::ExchangePeer ExchangeService::add_peer(const v1::AddExchangePeerRequest& req) {
  if (auto e = validate_unit_name(req.name()); !e.empty()) throw Failure(invalid("name: " + e));
  if (req.role() != "unit" && req.role() != "upper" && req.role() != "peer")
    throw Failure(invalid("--role must be unit (a unit below), upper (the level above) or peer"));
  if (req.role() == "unit") {
    if (auto e = validate::department(req.department()); !e.empty())
      throw Failure(invalid("--department: " + e));
  } else if (!req.department().empty()) {
    throw Failure(invalid("--department is for a peer of role unit only"));
  }
  if (req.certificate_pem().empty() || req.certificate_pem().size() > kMaxCertificateBytes)
    throw Failure(invalid("the certificate must be a PEM file of at most 16 KiB"));
  std::string pem = req.certificate_pem();
  pki::CertInfo info;
  try {
    info = pki::inspect_certificate(pem);
  } catch (const std::exception&) {
    throw Failure(invalid("the certificate file does not hold a PEM certificate"));
  }
  if (info.is_ca)
    throw Failure(
        invalid("that is a CA certificate: give the peer's exchange certificate "
                "(`wardenctl exchange identity -o FILE` there)"));
  if (!pki::fingerprint_matches(req.fingerprint(), info.fingerprint))
    throw Failure(invalid("the fingerprint does not match the certificate (it is " +
                          info.fingerprint +
                          "): read it again from the other collector over a trusted channel"));
  if (info.fingerprint == pki::fingerprint(key().certificate_pem))
    throw Failure(invalid("that is this collector's own exchange certificate"));
  return to_message(
      store_.add_peer(req.name(), info.fingerprint, pem, req.role(), req.department()));
}

std::vector<v1::ExchangePeer> ExchangeService::list_peers() {
  std::vector<v1::ExchangePeer> out;
  for (const auto& p : store_.list_peers()) out.push_back(to_message(p));
  return out;
}

v1::ExchangePeer ExchangeService::remove_peer(const std::string& name) {
  std::lock_guard lock(import_mu_);  // not while one of its bundles is being applied
  return to_message(store_.remove_peer(name));
}

v1::ExportBundleResponse ExchangeService::export_bundle(const std::string& name, int64_t since_ms) {
  if (since_ms < 0) throw Failure(invalid("--since is before 1970"));
  auto peer = store_.find_peer(name);
  if (!peer)
    throw Failure(
        not_found("no exchange peer named '" + name + "': see `wardenctl exchange peers`"));
  auto own = key();
  v1::ExchangeBundle bundle;
  bundle.set_sender_name(settings_.unit_name);
  bundle.set_sender_fingerprint(pki::fingerprint(own.certificate_pem));
  bundle.set_recipient_fingerprint(peer->fingerprint);
  bundle.set_created_at_ms(clock_.now_ms());
  bundle.set_since_ms(since_ms);
  if (peer->role == "upper") {
    ForwardOptions options;
    options.unit_name = settings_.unit_name;
    options.send_facts = settings_.send_facts;
    options.max_hosts = kBundleBatchLimits.hosts;
    options.max_incidents = kBundleBatchLimits.incidents;
    options.snapshot = true;
    options.since_ms = since_ms;
    auto pending = cascade_.next_batch(options, online_());
    if (pending.more)
      throw Failure(invalid("more than one bundle holds: export a shorter period with --since"));
    *bundle.mutable_batch() = std::move(pending.batch);
  }
  for (const auto& d : store_.local_drives(since_ms, kMaxBundleDrives))
    *bundle.add_usb() = to_message(d);
  // Numbered last, so a refused export does not use a number up.
  bundle.set_seq(store_.take_export_seq(peer->id));
  if (bundle.has_batch()) {
    bundle.mutable_batch()->set_seq(bundle.seq());
    bundle.mutable_batch()->set_full(true);
  }
  if (auto e = validate_bundle(bundle); !e.empty())
    throw Failure(internal("the bundle this collector built is not valid: " + e));
  std::string content;
  bundle.SerializeToString(&content);
  v1::ExportBundleResponse resp;
  resp.set_bundle(seal_bundle(content, own, peer->certificate_pem));
  resp.set_seq(bundle.seq());
  resp.set_hosts(static_cast<uint32_t>(bundle.batch().hosts_size()));
  resp.set_incidents(static_cast<uint32_t>(bundle.batch().incidents_size()));
  resp.set_usb_devices(static_cast<uint32_t>(bundle.usb_size()));
  LOG_INFO("exchange", "bundle " << bundle.seq() << " sealed for '" << peer->name << "' ("
                                 << resp.bundle().size() << " bytes)");
  return resp;
}

v1::ImportBundleResponse ExchangeService::import_bundle(const std::string& sealed) {
  std::lock_guard lock(import_mu_);
  auto own = key();
  std::vector<std::string> trusted;
  for (const auto& p : store_.list_peers()) trusted.push_back(p.certificate_pem);
  auto opened = open_bundle(sealed, own, trusted);

  v1::ExchangeBundle bundle;
  if (!bundle.ParseFromString(opened.content))
    throw Failure(invalid("the bundle's content does not parse"));
  if (auto e = validate_bundle(bundle); !e.empty())
    throw Failure(invalid("the bundle is not valid: " + e));
  if (bundle.recipient_fingerprint() != pki::fingerprint(own.certificate_pem))
    throw Failure(denied("the bundle was signed for another collector (" +
                         bundle.recipient_fingerprint() + ") and re-sealed: refused"));
  if (bundle.sender_fingerprint() != opened.signer_fingerprint)
    throw Failure(invalid("the bundle names a sender other than its signer"));
  auto peer = store_.find_peer_by_fingerprint(opened.signer_fingerprint);
  if (!peer) throw Failure(denied("the signer is no longer a peer here"));

  v1::ImportBundleResponse resp;
  resp.set_peer(peer->name);
  resp.set_seq(bundle.seq());
  std::string digest = sha256_hex(opened.content);
  if (bundle.seq() < peer->imported_seq)
    throw Failure(conflict("bundle " + std::to_string(bundle.seq()) + " from '" + peer->name +
                           "' is older than bundle " + std::to_string(peer->imported_seq) +
                           ", already imported: a replay, refused"));
  if (bundle.seq() == peer->imported_seq) {
    if (digest != peer->imported_digest)
      throw Failure(conflict("a different bundle " + std::to_string(bundle.seq()) + " from '" +
                             peer->name + "' was imported already: refused"));
    resp.set_already_imported(true);
    return resp;
  }

  if (bundle.has_batch()) {
    if (peer->role != "unit")
      throw Failure(denied("'" + peer->name + "' is not a unit of this collector (role " +
                           peer->role + "), and its bundle carries a unit's results"));
    auto unit = cascade_.find_unit(peer->unit_id);
    if (!unit || unit->revoked)
      throw Failure(denied("unit '" + peer->name + "' was revoked here: refused"));
    // Idempotent: a crash before record_import below leaves a bundle that imports again.
    auto ack = cascade_.apply(*unit, bundle.batch());
    resp.set_hosts(static_cast<uint32_t>(bundle.batch().hosts_size()));
    resp.set_incidents(static_cast<uint32_t>(bundle.batch().incidents_size()));
    resp.set_duplicate_incidents(ack.duplicate_incidents());
  }
  std::vector<DriveRecord> drives;
  for (const auto& d : bundle.usb()) drives.push_back(from_message(d));
  resp.set_usb_devices(static_cast<uint32_t>(drives.size()));
  for (const auto& c : store_.record_import(peer->id, bundle.seq(), digest, drives))
    *resp.add_cross_used() = to_message(c);
  LOG_INFO("exchange", "bundle " << bundle.seq() << " from '" << peer->name << "' imported ("
                                 << resp.hosts() << " hosts, " << resp.usb_devices() << " drives, "
                                 << resp.cross_used_size() << " cross-used)");
  return resp;
}

}  // namespace warden::collector
