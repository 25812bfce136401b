#include "collector/exchange/exchange_store.hpp"

#include <map>
#include <tuple>

#include "collector/storage/schema.hpp"
#include "common/comma_list.hpp"
#include "common/error.hpp"

namespace warden::collector {

namespace {

// A peer with its unit's ID (role unit); callers append the WHERE or ORDER BY.
constexpr const char* kSelectPeers =
    "SELECT p.id, p.name, p.fingerprint, p.certificate_pem, p.role, p.department, p.unit_ref, "
    "coalesce(u.unit_id, ''), p.added_at, p.exported_seq, p.imported_seq, p.imported_digest, "
    "coalesce(p.imported_at, 0) FROM exchange_peers p LEFT JOIN units u ON u.id = p.unit_ref ";

ExchangePeerRecord peer_from_row(storage::Statement& st) {
  ExchangePeerRecord p;
  p.id = st.column_int(0);
  p.name = st.column_text(1);
  p.fingerprint = st.column_text(2);
  p.certificate_pem = st.column_text(3);
  p.role = st.column_text(4);
  p.department = st.column_text(5);
  if (!st.column_is_null(6)) p.unit_ref = st.column_int(6);
  p.unit_id = st.column_text(7);
  p.added_at_ms = st.column_int(8);
  p.exported_seq = static_cast<uint64_t>(st.column_int(9));
  p.imported_seq = static_cast<uint64_t>(st.column_int(10));
  p.imported_digest = st.column_text(11);
  p.imported_at_ms = st.column_int(12);
  return p;
}

using DriveKey = std::tuple<std::string, std::string, std::string>;

}  // namespace

std::string join_drive_classes(const std::set<std::string>& classes) {
  std::string out;
  for (const auto& c : classes) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::set<std::string> split_drive_classes(const std::string& joined) {
  auto items = split_commas(joined);
  return {items.begin(), items.end()};
}

bool crosses_networks(const DriveRecord& here, const DriveRecord& there) {
  std::set<std::string> all;
  for (const auto* d : {&here, &there}) {
    if (!d->registered_class.empty()) all.insert(d->registered_class);
    all.insert(d->classes_seen.begin(), d->classes_seen.end());
  }
  return all.count("classified") && all.count("general");
}

ExchangeStore::ExchangeStore(const storage::Location& database, const Clock& clock)
    : clock_(clock), db_(storage::connect(database)) {
  storage::migrate(*db_);
}

ExchangePeerRecord ExchangeStore::add_peer(const std::string& name, const std::string& fingerprint,
                                           const std::string& certificate_pem,
                                           const std::string& role, const std::string& department) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto same = db_->prepare("SELECT name FROM exchange_peers WHERE name = ? OR fingerprint = ?");
  same.bind(1, name).bind(2, fingerprint);
  if (same.step())
    throw Failure(conflict("an exchange peer named '" + same.column_text(0) +
                           "' already has this name or certificate"));
  same.reset();
  int64_t now = clock_.now_ms();
  std::optional<int64_t> unit_ref;
  if (role == "unit") {
    auto unit = db_->prepare("SELECT unit_id FROM units WHERE name = ?");
    unit.bind(1, name);
    if (unit.step())
      throw Failure(conflict("a unit named '" + name + "' is already enrolled here (" +
                             unit.column_text(0) + ")"));
    unit.reset();
    // Not a certificate's CN ("u-…" for linked units): a bundle, never a link, updates it.
    std::string unit_id = "x-" + fingerprint.substr(7, 24);
    auto insert = db_->prepare(
        "INSERT INTO units (unit_id, name, department, token_id, cert_serial, enrolled_at) "
        "VALUES (?,?,?,NULL,?,?) RETURNING id");
    insert.bind(1, unit_id).bind(2, name).bind(3, department).bind(4, fingerprint).bind(5, now);
    insert.step();
    unit_ref = insert.column_int(0);
    insert.reset();
  }
  auto insert = db_->prepare(
      "INSERT INTO exchange_peers (name, fingerprint, certificate_pem, role, department, "
      "unit_ref, added_at) VALUES (?,?,?,?,?,?,?)");
  insert.bind(1, name)
      .bind(2, fingerprint)
      .bind(3, certificate_pem)
      .bind(4, role)
      .bind(5, department);
  if (unit_ref)
    insert.bind(6, *unit_ref);
  else
    insert.bind_null(6);
  insert.bind(7, now).run();
  tx.commit();
  auto st = db_->prepare(std::string(kSelectPeers) + "WHERE p.name = ?");
  st.bind(1, name);
  st.step();
  return peer_from_row(st);
}

std::vector<ExchangePeerRecord> ExchangeStore::list_peers() {
  std::lock_guard lock(mu_);
  std::vector<ExchangePeerRecord> out;
  auto st = db_->prepare(std::string(kSelectPeers) + "ORDER BY p.name");
  while (st.step()) out.push_back(peer_from_row(st));
  return out;
}

ExchangePeerRecord ExchangeStore::remove_peer(const std::string& name) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto st = db_->prepare(std::string(kSelectPeers) + "WHERE p.name = ?");
  st.bind(1, name);
  if (!st.step()) throw Failure(not_found("no exchange peer named '" + name + "'"));
  auto peer = peer_from_row(st);
  st.reset();
  db_->prepare("DELETE FROM foreign_usb WHERE peer_id = ?").bind(1, peer.id).run();
  db_->prepare("DELETE FROM exchange_peers WHERE id = ?").bind(1, peer.id).run();
  tx.commit();
  return peer;
}

std::optional<ExchangePeerRecord> ExchangeStore::find_peer(const std::string& name) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string(kSelectPeers) + "WHERE p.name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return peer_from_row(st);
}

std::optional<ExchangePeerRecord> ExchangeStore::find_peer_by_fingerprint(
    const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string(kSelectPeers) + "WHERE p.fingerprint = ?");
  st.bind(1, fingerprint);
  if (!st.step()) return std::nullopt;
  return peer_from_row(st);
}

uint64_t ExchangeStore::take_export_seq(int64_t peer_id) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "UPDATE exchange_peers SET exported_seq = exported_seq + 1 WHERE id = ? "
      "RETURNING exported_seq");
  st.bind(1, peer_id);
  if (!st.step()) throw Failure(not_found("no such exchange peer"));
  return static_cast<uint64_t>(st.column_int(0));
}

std::vector<DriveRecord> ExchangeStore::local_drives(int64_t since_ms, size_t limit) {
  std::lock_guard lock(mu_);
  std::map<DriveKey, DriveRecord> drives;
  auto registered =
      db_->prepare("SELECT vendor_id, product_id, serial, classification FROM usb_devices");
  while (registered.step()) {
    DriveRecord d;
    d.vendor_id = registered.column_text(0);
    d.product_id = registered.column_text(1);
    d.serial = registered.column_text(2);
    d.registered_class = registered.column_text(3);
    drives.emplace(DriveKey{d.vendor_id, d.product_id, d.serial}, d);
  }
  registered.reset();
  auto seen = db_->prepare(
      "SELECT vendor_id, product_id, serial, classification, min(first_seen), max(last_seen) "
      "FROM usb_sightings WHERE last_seen >= ? AND serial <> '' "
      "GROUP BY vendor_id, product_id, serial, classification");
  seen.bind(1, since_ms);
  while (seen.step()) {
    DriveKey key{seen.column_text(0), seen.column_text(1), seen.column_text(2)};
    auto& d = drives[key];
    std::tie(d.vendor_id, d.product_id, d.serial) = key;
    if (!seen.column_text(3).empty()) d.classes_seen.insert(seen.column_text(3));
    int64_t first = seen.column_int(4), last = seen.column_int(5);
    d.first_seen_ms = d.first_seen_ms ? std::min(d.first_seen_ms, first) : first;
    d.last_seen_ms = std::max(d.last_seen_ms, last);
  }
  seen.reset();
  std::vector<DriveRecord> out;
  for (auto& [_, d] : drives) {
    if (out.size() >= limit) break;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<CrossNetworkUse> ExchangeStore::record_import(int64_t peer_id, uint64_t seq,
                                                          const std::string& digest,
                                                          const std::vector<DriveRecord>& drives) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto old = db_->prepare(
      "SELECT registered_class, classes_seen, first_seen, last_seen FROM foreign_usb "
      "WHERE vendor_id = ? AND product_id = ? AND serial = ? AND peer_id = ?");
  auto put = db_->prepare(
      "INSERT INTO foreign_usb (vendor_id, product_id, serial, peer_id, registered_class, "
      "classes_seen, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?) "
      "ON CONFLICT (vendor_id, product_id, serial, peer_id) DO UPDATE SET "
      "registered_class = excluded.registered_class, classes_seen = excluded.classes_seen, "
      "first_seen = excluded.first_seen, last_seen = excluded.last_seen");
  auto registered_here = db_->prepare(
      "SELECT classification FROM usb_devices WHERE vendor_id = ? AND product_id = ? AND "
      "serial = ?");
  auto seen_here = db_->prepare(
      "SELECT classification, min(first_seen), max(last_seen) FROM usb_sightings WHERE "
      "vendor_id = ? AND product_id = ? AND serial = ? GROUP BY classification");
  std::vector<CrossNetworkUse> crossed;
  for (const auto& in : drives) {
    // A bundle may cover a shorter period than the last one: what the peer said before stays.
    DriveRecord there = in;
    old.bind(1, in.vendor_id).bind(2, in.product_id).bind(3, in.serial).bind(4, peer_id);
    if (old.step()) {
      for (const auto& c : split_drive_classes(old.column_text(1))) there.classes_seen.insert(c);
      if (int64_t f = old.column_int(2); f && (!there.first_seen_ms || f < there.first_seen_ms))
        there.first_seen_ms = f;
      there.last_seen_ms = std::max(there.last_seen_ms, old.column_int(3));
    }
    old.reset();
    put.bind(1, there.vendor_id)
        .bind(2, there.product_id)
        .bind(3, there.serial)
        .bind(4, peer_id)
        .bind(5, there.registered_class)
        .bind(6, join_drive_classes(there.classes_seen))
        .bind(7, there.first_seen_ms)
        .bind(8, there.last_seen_ms)
        .run();

    DriveRecord here;
    here.vendor_id = in.vendor_id;
    here.product_id = in.product_id;
    here.serial = in.serial;
    registered_here.bind(1, in.vendor_id).bind(2, in.product_id).bind(3, in.serial);
    if (registered_here.step()) here.registered_class = registered_here.column_text(0);
    registered_here.reset();
    seen_here.bind(1, in.vendor_id).bind(2, in.product_id).bind(3, in.serial);
    while (seen_here.step()) {
      here.classes_seen.insert(seen_here.column_text(0));
      int64_t f = seen_here.column_int(1);
      here.first_seen_ms = here.first_seen_ms ? std::min(here.first_seen_ms, f) : f;
      here.last_seen_ms = std::max(here.last_seen_ms, seen_here.column_int(2));
    }
    seen_here.reset();
    bool known_here = !here.registered_class.empty() || !here.classes_seen.empty();
    if (known_here && crosses_networks(here, there))
      crossed.push_back({std::move(here), std::move(there)});
  }
  db_->prepare(
         "UPDATE exchange_peers SET imported_seq = ?, imported_digest = ?, imported_at = ? "
         "WHERE id = ?")
      .bind(1, seq)
      .bind(2, digest)
      .bind(3, clock_.now_ms())
      .bind(4, peer_id)
      .run();
  tx.commit();
  return crossed;
}

}  // namespace warden::collector
