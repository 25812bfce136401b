// Runs the central checks for one host inside the ingest transaction: reads the ledger, the USB
// registry and other hosts' addresses, records what the host reported (addresses, USB
// sightings), and returns the findings to store beside the agent's own.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "collector/central/central_checks.hpp"
#include "collector/storage/database.hpp"
#include "common/finding.hpp"

namespace warden::collector {

class CentralEvaluator {
 public:
  explicit CentralEvaluator(storage::Connection& db);

  // A sweep report: judges everything its inputs allow (network, usb).
  std::vector<Finding> on_report(int64_t host_id, const std::string& peer, const CentralInputs& in,
                                 int64_t now_ms);
  // An event: interfaces re-judge the binding; a USB device records the sighting. Only failing
  // verdicts are returned for events (a single device or link cannot prove the whole host
  // compliant).
  std::vector<Finding> on_event(int64_t host_id, const std::string& peer, const CentralInputs& in,
                                int64_t now_ms);

 private:
  struct HostRow {
    std::string hostname, classification, peer;
  };
  HostRow host(int64_t host_id);
  std::vector<Finding> network(int64_t host_id, const HostRow& h, const std::string& peer,
                               const std::vector<InterfaceAddress>& addresses);
  std::vector<Finding> usb(int64_t host_id, const HostRow& h,
                           std::vector<UsbStorageSighting> devices, int64_t now);

  storage::Statement host_, ledger_by_host_, ledger_by_mac_, delete_addresses_, insert_address_,
      claims_, usb_registered_, usb_classes_seen_, usb_sighting_, usb_elsewhere_;
};

}  // namespace warden::collector
