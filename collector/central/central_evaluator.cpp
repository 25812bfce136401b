#include "collector/central/central_evaluator.hpp"

#include <algorithm>
#include "collector/exchange/exchange_store.hpp"
#include "common/text.hpp"

namespace warden::collector {

namespace {
constexpr const char* kLedgerColumns = "hostname, ip, mac, department, owner, classification";
LedgerEntry ledger_from(storage::Statement& st) {
  return {st.column_text(0), st.column_text(1), st.column_text(2),
          st.column_text(3), st.column_text(4), st.column_text(5)};
}
}  // namespace

CentralEvaluator::CentralEvaluator(storage::Connection& db)
    : host_(db.prepare("SELECT hostname, classification, peer_address FROM hosts WHERE id = ?")),
      ledger_by_host_(
          db.prepare(std::string("SELECT ") + kLedgerColumns + " FROM ledger WHERE hostname = ?")),
      ledger_by_mac_(
          db.prepare(std::string("SELECT ") + kLedgerColumns + " FROM ledger WHERE mac = ?")),
      delete_addresses_(db.prepare("DELETE FROM host_addresses WHERE host_id = ?")),
      insert_address_(db.prepare(
          "INSERT INTO host_addresses (host_id, ip, mac) VALUES (?,?,?) ON CONFLICT DO NOTHING")),
      claims_(
          db.prepare("SELECT h.hostname, h.agent_id, a.ip, a.mac FROM host_addresses a JOIN "
                     "hosts h ON h.id = a.host_id "
                     "WHERE a.host_id <> ?1 AND h.revoked = FALSE AND (a.ip = ?2 OR a.mac = ?3)")),
      usb_registered_(db.prepare("SELECT classification, owner FROM usb_devices WHERE vendor_id = "
                                 "? AND product_id = ? AND serial = ?")),
      usb_classes_seen_(db.prepare("SELECT DISTINCT classification FROM usb_sightings WHERE "
                                   "vendor_id = ? AND product_id = ? AND serial = ?")),
      usb_sighting_(db.prepare("INSERT INTO usb_sightings (vendor_id, product_id, serial, host_id, "
                               "classification, first_seen, last_seen) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?6) ON CONFLICT (vendor_id, product_id, "
                               "serial, host_id, classification) "
                               "DO UPDATE SET last_seen = excluded.last_seen")),
      usb_elsewhere_(db.prepare("SELECT p.name, f.registered_class, f.classes_seen FROM "
                                "foreign_usb f JOIN exchange_peers p ON p.id = f.peer_id WHERE "
                                "f.vendor_id = ? AND f.product_id = ? AND f.serial = ? "
                                "ORDER BY p.name")) {}

CentralEvaluator::HostRow CentralEvaluator::host(int64_t host_id) {
  host_.bind(1, host_id);
  HostRow h;
  if (host_.step()) h = {host_.column_text(0), host_.column_text(1), host_.column_text(2)};
  host_.reset();
  return h;
}

std::vector<Finding> CentralEvaluator::network(int64_t host_id, const HostRow& h,
                                               const std::string& peer,
                                               const std::vector<InterfaceAddress>& addresses) {
  delete_addresses_.bind(1, host_id);
  delete_addresses_.run();
  for (const auto& a : addresses) {
    insert_address_.bind(1, host_id).bind(2, a.ip).bind(3, a.mac);
    insert_address_.run();
  }
  BindingInput in;
  in.hostname = text::lower(h.hostname);
  in.addresses = addresses;
  in.peer_address = peer.empty() ? h.peer : peer;
  ledger_by_host_.bind(1, in.hostname);
  if (ledger_by_host_.step()) in.ledger_for_host = ledger_from(ledger_by_host_);
  ledger_by_host_.reset();
  if (!in.ledger_for_host) {
    for (const auto& a : addresses) {
      ledger_by_mac_.bind(1, a.mac);
      if (ledger_by_mac_.step()) in.ledger_for_mac = ledger_from(ledger_by_mac_);
      ledger_by_mac_.reset();
      if (in.ledger_for_mac) break;
    }
  }
  std::vector<AddressClaim> others;
  for (const auto& a : addresses) {
    claims_.bind(1, host_id).bind(2, a.ip).bind(3, a.mac);
    while (claims_.step())
      others.push_back({claims_.column_text(0), claims_.column_text(1), claims_.column_text(2),
                        claims_.column_text(3)});
    claims_.reset();
  }
  return {evaluate_ip_binding(in), evaluate_duplicate_address(addresses, others)};
}

std::vector<Finding> CentralEvaluator::usb(int64_t host_id, const HostRow& h,
                                           std::vector<UsbStorageSighting> devices, int64_t now) {
  for (auto& d : devices) {
    usb_registered_.bind(1, d.vendor_id).bind(2, d.product_id).bind(3, d.serial);
    if (!d.serial.empty() && usb_registered_.step()) {
      d.registered_class = usb_registered_.column_text(0);
      d.registered_owner = usb_registered_.column_text(1);
    }
    usb_registered_.reset();
    usb_classes_seen_.bind(1, d.vendor_id).bind(2, d.product_id).bind(3, d.serial);
    while (usb_classes_seen_.step())
      d.classes_seen_before.push_back(usb_classes_seen_.column_text(0));
    usb_classes_seen_.reset();
    if (!d.serial.empty()) {
      usb_elsewhere_.bind(1, d.vendor_id).bind(2, d.product_id).bind(3, d.serial);
      while (usb_elsewhere_.step()) {
        auto classes = split_drive_classes(usb_elsewhere_.column_text(2));
        d.elsewhere.push_back({usb_elsewhere_.column_text(0),
                               usb_elsewhere_.column_text(1),
                               {classes.begin(), classes.end()}});
      }
      usb_elsewhere_.reset();
    }
    usb_sighting_.bind(1, d.vendor_id)
        .bind(2, d.product_id)
        .bind(3, d.serial)
        .bind(4, host_id)
        .bind(5, h.classification)
        .bind(6, now);
    usb_sighting_.run();
  }
  return evaluate_usb_rules(h.classification, devices);
}

std::vector<Finding> CentralEvaluator::on_report(int64_t host_id, const std::string& peer,
                                                 const CentralInputs& in, int64_t now_ms) {
  std::vector<Finding> out;
  if (!in.addresses && !in.usb_storage) return out;
  auto h = host(host_id);
  if (in.addresses)
    for (auto& f : network(host_id, h, peer, *in.addresses)) out.push_back(std::move(f));
  if (in.usb_storage)
    for (auto& f : usb(host_id, h, *in.usb_storage, now_ms)) out.push_back(std::move(f));
  return out;
}

std::vector<Finding> CentralEvaluator::on_event(int64_t host_id, const std::string& peer,
                                                const CentralInputs& in, int64_t now_ms) {
  std::vector<Finding> failing;
  for (auto& f : on_report(host_id, peer, in, now_ms))
    if (f.status == Status::fail) failing.push_back(std::move(f));
  return failing;
}

}  // namespace warden::collector
