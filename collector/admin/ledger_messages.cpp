#include "collector/admin/ledger_messages.hpp"

#include "common/error.hpp"

namespace warden::collector {

v1::LedgerEntry to_message(const LedgerEntry& entry) {
  v1::LedgerEntry out;
  out.set_hostname(entry.hostname);
  out.set_ip(entry.ip);
  out.set_mac(entry.mac);
  out.set_department(entry.department);
  out.set_owner(entry.owner);
  out.set_classification(entry.classification);
  return out;
}

LedgerEntry ledger_entry_to_set(const v1::LedgerEntry& request) {
  std::string csv = "hostname,ip,mac,department,owner,classification\n" +
                    csv_field(request.hostname()) + "," + csv_field(request.ip()) + "," +
                    csv_field(request.mac()) + "," + csv_field(request.department()) + "," +
                    csv_field(request.owner()) + "," + csv_field(request.classification()) + "\n";
  auto parsed = parse_ledger_csv(csv);
  if (!parsed.problems.empty()) throw Failure(invalid(parsed.problems[0].message));
  return parsed.entries.at(0);
}

}  // namespace warden::collector
