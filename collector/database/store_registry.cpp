// Store: the IP/MAC ledger and the removable media registry.
#include <set>

#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "common/duration.hpp"

namespace warden::collector {

namespace {

void bind_ledger(storage::Statement& st, const LedgerEntry& e, int64_t now) {
  st.bind(1, e.hostname)
      .bind(2, e.ip)
      .bind(3, e.mac)
      .bind(4, e.department)
      .bind(5, e.owner)
      .bind(6, e.classification)
      .bind(7, now);
}

constexpr const char* kUpsertLedger =
    "INSERT INTO ledger (hostname, ip, mac, department, owner, classification, updated_at) "
    "VALUES (?,?,?,?,?,?,?) ON CONFLICT (hostname) DO UPDATE SET ip = excluded.ip, "
    "mac = excluded.mac, department = excluded.department, owner = excluded.owner, "
    "classification = excluded.classification, updated_at = excluded.updated_at";

domain::UsbDrive usb_from_row(storage::Statement& st) {
  return {st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
          st.column_text(4), st.column_int(5),  st.column_text(6), st.column_text(7)};
}

constexpr const char* kUsbColumns =
    "vendor_id, product_id, serial, classification, owner, registered_at, registered_by, note";

}  // namespace

void Store::replace_ledger(const std::vector<LedgerEntry>& entries, const std::string& actor,
                           const std::string& file_name, const std::string& encoding) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  db_->exec("DELETE FROM ledger");  // the file is the whole ledger
  auto ins = db_->prepare(kUpsertLedger);
  int64_t now = clock_.now_ms();
  for (const auto& e : entries) {
    bind_ledger(ins, e, now);
    ins.run();
  }
  audit_locked(actor, "ledger.import",
               {{"file", file_name}, {"rows", entries.size()}, {"encoding", encoding}});
  tx.commit();
}

std::vector<LedgerEntry> Store::list_ledger() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT hostname, ip, mac, department, owner, classification FROM ledger ORDER BY hostname");
  std::vector<LedgerEntry> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                   st.column_text(4), st.column_text(5)});
  return out;
}

LedgerEntry Store::set_ledger_entry(const LedgerEntry& e, const std::string& actor) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto clash =
      db_->prepare("SELECT hostname FROM ledger WHERE (ip = ?1 OR mac = ?2) AND hostname <> ?3");
  clash.bind(1, e.ip).bind(2, e.mac).bind(3, e.hostname);
  if (clash.step())
    throw Failure(conflict("IP " + e.ip + " or MAC " + e.mac + " is already assigned to " +
                           clash.column_text(0)));
  auto st = db_->prepare(kUpsertLedger);
  bind_ledger(st, e, clock_.now_ms());
  st.run();
  audit_locked(actor, "ledger.set",
               {{"hostname", e.hostname},
                {"ip", e.ip},
                {"mac", e.mac},
                {"department", e.department},
                {"owner", e.owner},
                {"classification", e.classification}});
  tx.commit();
  return e;
}

void Store::remove_ledger_entry(const std::string& hostname, const std::string& actor) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("DELETE FROM ledger WHERE hostname = ?");
  st.bind(1, hostname).run();
  if (st.rows_affected() == 0) throw Failure(not_found("no ledger entry for '" + hostname + "'"));
  audit_locked(actor, "ledger.remove", {{"hostname", hostname}});
}

domain::UsbRegistration Store::register_usb(const domain::UsbDrive& drive,
                                            const std::string& actor) {
  domain::UsbRegistration out{drive, {}};
  auto& d = out.drive;
  d.registered_at_ms = clock_.now_ms();
  d.registered_by = actor.empty() ? "admin" : actor;
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto same = db_->prepare(
      "SELECT vendor_id, product_id FROM usb_devices WHERE serial = ? AND NOT (vendor_id = ? AND "
      "product_id = ?) ORDER BY vendor_id, product_id");
  same.bind(1, d.serial).bind(2, d.vendor_id).bind(3, d.product_id);
  while (same.step())
    out.same_serial_models.push_back(same.column_text(0) + ":" + same.column_text(1));
  db_->prepare(
         "INSERT INTO usb_devices (vendor_id, product_id, serial, classification, owner, "
         "registered_at, registered_by, note) VALUES (?,?,?,?,?,?,?,?) "
         "ON CONFLICT (vendor_id, product_id, serial) DO UPDATE SET "
         "classification = excluded.classification, owner = excluded.owner, note = excluded.note, "
         "registered_at = excluded.registered_at, registered_by = excluded.registered_by")
      .bind(1, d.vendor_id)
      .bind(2, d.product_id)
      .bind(3, d.serial)
      .bind(4, d.classification)
      .bind(5, d.owner)
      .bind(6, d.registered_at_ms)
      .bind(7, d.registered_by)
      .bind(8, d.note)
      .run();
  audit_locked(actor, "usb.register",
               {{"vendor_id", d.vendor_id},
                {"product_id", d.product_id},
                {"serial", d.serial},
                {"classification", d.classification},
                {"owner", d.owner}});
  bump_revision_locked();  // agents' allow lists change
  tx.commit();
  return out;
}

std::vector<domain::UsbDrive> Store::list_usb() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kUsbColumns +
                         " FROM usb_devices ORDER BY owner, serial");
  std::vector<domain::UsbDrive> out;
  while (st.step()) out.push_back(usb_from_row(st));
  return out;
}

domain::UsbDriveHistory Store::usb_history(const std::string& serial) {
  std::lock_guard lock(mu_);
  domain::UsbDriveHistory out;
  auto reg = db_->prepare(std::string("SELECT ") + kUsbColumns +
                          " FROM usb_devices WHERE serial = ? ORDER BY vendor_id, product_id");
  reg.bind(1, serial);
  while (reg.step()) out.registered.push_back(usb_from_row(reg));
  auto st = db_->prepare(
      "SELECT h.agent_id, h.hostname, s.classification, s.first_seen, s.last_seen, s.vendor_id, "
      "s.product_id "
      "FROM usb_sightings s JOIN hosts h ON h.id = s.host_id WHERE s.serial = ? ORDER BY "
      "s.first_seen");
  st.bind(1, serial);
  while (st.step())
    out.sightings.push_back({st.column_text(0), st.column_text(1), st.column_text(2),
                             st.column_int(3), st.column_int(4), st.column_text(5),
                             st.column_text(6)});
  return out;
}

}  // namespace warden::collector
