// Store: the IP/MAC ledger and the removable media registry.
#include <set>

#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "common/duration.hpp"
#include "common/validate.hpp"

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

// Serials that do not tell drives apart (reference: cheap drives repeat or blank them).
bool generic_serial(const std::string& s) {
  if (s.size() < 6) return true;
  if (s.find_first_not_of(s[0]) == std::string::npos) return true;
  for (const char* g : {"0123456789", "123456789", "ABCDEF", "00000000"})
    if (s.find(g) != std::string::npos) return true;
  return false;
}

std::string lower_hex4(const std::string& s, const char* what) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.size() != 4 || out.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Failure(invalid(std::string(what) + " must be 4 hex digits, e.g. 0781"));
  return out;
}

v1::UsbDevice usb_from_row(storage::Statement& st) {
  v1::UsbDevice d;
  d.set_vendor_id(st.column_text(0));
  d.set_product_id(st.column_text(1));
  d.set_serial(st.column_text(2));
  d.set_classification(st.column_text(3));
  d.set_owner(st.column_text(4));
  d.set_registered_at_ms(st.column_int(5));
  d.set_registered_by(st.column_text(6));
  d.set_note(st.column_text(7));
  return d;
}

constexpr const char* kUsbColumns =
    "vendor_id, product_id, serial, classification, owner, registered_at, registered_by, note";

}  // namespace

v1::ImportLedgerResponse Store::import_ledger(const std::string& csv, const std::string& actor,
                                              const std::string& file_name) {
  auto parsed = parse_ledger_csv(csv);
  v1::ImportLedgerResponse resp;
  resp.set_encoding(parsed.encoding);
  for (const auto& p : parsed.problems) {
    auto* out = resp.add_problems();
    out->set_line(static_cast<uint32_t>(p.line));
    out->set_message(p.message);
  }
  if (!parsed.problems.empty()) return resp;  // nothing imported
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  db_->exec("DELETE FROM ledger");  // the file is the whole ledger
  auto ins = db_->prepare(kUpsertLedger);
  int64_t now = clock_.now_ms();
  for (const auto& e : parsed.entries) {
    bind_ledger(ins, e, now);
    ins.run();
  }
  audit_locked(
      actor, "ledger.import",
      {{"file", file_name}, {"rows", parsed.entries.size()}, {"encoding", parsed.encoding}});
  tx.commit();
  resp.set_imported(static_cast<uint32_t>(parsed.entries.size()));
  return resp;
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

LedgerEntry Store::set_ledger_entry(const v1::LedgerEntry& in) {
  // One row, through the same validation as a file import.
  std::string csv = "hostname,ip,mac,department,owner,classification\n" + csv_field(in.hostname()) +
                    "," + csv_field(in.ip()) + "," + csv_field(in.mac()) + "," +
                    csv_field(in.department()) + "," + csv_field(in.owner()) + "," +
                    csv_field(in.classification()) + "\n";
  auto parsed = parse_ledger_csv(csv);
  if (!parsed.problems.empty()) throw Failure(invalid(parsed.problems[0].message));
  const auto& e = parsed.entries.at(0);
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
  audit_locked(in.actor(), "ledger.set",
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

v1::RegisterUsbResponse Store::register_usb(const v1::UsbDevice& in, const std::string& actor) {
  v1::RegisterUsbResponse resp;
  auto* d = resp.mutable_device();
  d->set_vendor_id(lower_hex4(in.vendor_id(), "the vendor ID"));
  d->set_product_id(lower_hex4(in.product_id(), "the product ID"));
  if (in.serial().empty())
    throw Failure(invalid(
        "a drive without a serial number cannot be told apart from others of its model; it cannot "
        "be registered"));
  if (auto err = validate::text("serial", in.serial(), 128, false); !err.empty())
    throw Failure(invalid(err));
  d->set_serial(in.serial());
  auto cls = normalize_classification(in.classification());
  if (!cls || in.classification().empty())
    throw Failure(invalid("the drive's class must be classified or general"));
  d->set_classification(*cls);
  if (auto err = validate::text("owner", in.owner(), 128, false); !err.empty())
    throw Failure(invalid(err));
  d->set_owner(in.owner());
  d->set_note(in.note());
  d->set_registered_at_ms(clock_.now_ms());
  d->set_registered_by(actor.empty() ? "admin" : actor);
  if (generic_serial(in.serial()))
    resp.add_warnings("serial '" + in.serial() +
                      "' looks generic: cheap drives often share serials, so this registration may "
                      "also cover other drives of the same model");
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto same = db_->prepare(
      "SELECT vendor_id, product_id FROM usb_devices WHERE serial = ? AND NOT (vendor_id = ? AND "
      "product_id = ?)");
  same.bind(1, d->serial()).bind(2, d->vendor_id()).bind(3, d->product_id());
  if (same.step())
    resp.add_warnings("serial '" + d->serial() + "' is also registered for " + same.column_text(0) +
                      ":" + same.column_text(1));
  db_->prepare(
         "INSERT INTO usb_devices (vendor_id, product_id, serial, classification, owner, "
         "registered_at, "
         "registered_by, note) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (vendor_id, product_id, "
         "serial) DO UPDATE SET "
         "classification = excluded.classification, owner = excluded.owner, note = excluded.note, "
         "registered_at = excluded.registered_at, registered_by = excluded.registered_by")
      .bind(1, d->vendor_id())
      .bind(2, d->product_id())
      .bind(3, d->serial())
      .bind(4, d->classification())
      .bind(5, d->owner())
      .bind(6, d->registered_at_ms())
      .bind(7, d->registered_by())
      .bind(8, d->note())
      .run();
  audit_locked(actor, "usb.register",
               {{"vendor_id", d->vendor_id()},
                {"product_id", d->product_id()},
                {"serial", d->serial()},
                {"classification", d->classification()},
                {"owner", d->owner()}});
  bump_revision_locked();  // agents' allow lists change
  tx.commit();
  return resp;
}

std::vector<v1::UsbDevice> Store::list_usb() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kUsbColumns +
                         " FROM usb_devices ORDER BY owner, serial");
  std::vector<v1::UsbDevice> out;
  while (st.step()) out.push_back(usb_from_row(st));
  return out;
}

v1::UsbHistoryResponse Store::usb_history(const std::string& serial) {
  std::lock_guard lock(mu_);
  v1::UsbHistoryResponse resp;
  auto reg =
      db_->prepare(std::string("SELECT ") + kUsbColumns + " FROM usb_devices WHERE serial = ?");
  reg.bind(1, serial);
  while (reg.step()) *resp.add_registered() = usb_from_row(reg);
  auto st = db_->prepare(
      "SELECT h.agent_id, h.hostname, s.classification, s.first_seen, s.last_seen, s.vendor_id, "
      "s.product_id "
      "FROM usb_sightings s JOIN hosts h ON h.id = s.host_id WHERE s.serial = ? ORDER BY "
      "s.first_seen");
  st.bind(1, serial);
  while (st.step()) {
    auto* s = resp.add_sightings();
    s->set_agent_id(st.column_text(0));
    s->set_hostname(st.column_text(1));
    s->set_host_classification(st.column_text(2));
    s->set_first_seen_ms(st.column_int(3));
    s->set_last_seen_ms(st.column_int(4));
    s->set_vendor_id(st.column_text(5));
    s->set_product_id(st.column_text(6));
  }
  return resp;
}

}  // namespace warden::collector
