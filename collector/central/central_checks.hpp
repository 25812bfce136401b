// Checks only the collector can judge, because they need the ledger, the USB registry or other
// hosts. Pure functions over plain inputs; the Ingestor gathers the inputs inside its transaction.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "collector/ledger/ledger_csv.hpp"
#include "common/finding.hpp"

namespace warden::collector {

struct InterfaceAddress {
  std::string interface;
  std::string ip;   // canonical
  std::string mac;  // aa:bb:cc:dd:ee:ff
};

// From the agent's facts: facts.network.interfaces[] {name, mac, addresses[{address}]} (or an
// event's data.interfaces). Loopback, link-local and malformed entries are left out.
std::vector<InterfaceAddress> addresses_from_network_facts(const nlohmann::json& network);

struct BindingInput {
  std::string hostname;
  std::vector<InterfaceAddress> addresses;
  std::string peer_address;                    // where the agent connects from
  std::optional<LedgerEntry> ledger_for_host;  // by hostname
  std::optional<LedgerEntry> ledger_for_mac;   // a ledger row holding one of the host's MACs
};
Finding evaluate_ip_binding(const BindingInput& in);

struct AddressClaim {
  std::string hostname;
  std::string agent_id;
  std::string ip;
  std::string mac;
};
// `others`: other hosts' claims that share an IP or MAC with `mine`.
Finding evaluate_duplicate_address(const std::vector<InterfaceAddress>& mine,
                                   const std::vector<AddressClaim>& others);

struct UsbStorageSighting {
  std::string vendor_id, product_id, serial;
  std::optional<std::string> registered_class;  // from the registry; nullopt = unregistered
  std::string registered_owner;
  std::vector<std::string> classes_seen_before;  // host classifications it was seen on earlier
  // What isolated networks said of it in exchange bundles (docs/exchange.md): each network's
  // name with the class it registered the drive as ("" none) and the classes it was used on.
  struct Elsewhere {
    std::string network, registered_class;
    std::vector<std::string> classes_seen;
  };
  std::vector<Elsewhere> elsewhere;
};
// From facts.usb[] (entries with storage true) or a usb event's data (the device itself or
// data.device).
std::vector<UsbStorageSighting> storage_devices_from_facts(const nlohmann::json& usb);

// What the central checks need from one message, taken out of its JSON where the message is
// validated (on the session's thread), so that the single ingest writer never walks facts.
struct CentralInputs {
  std::optional<std::vector<InterfaceAddress>> addresses;      // set: the message lists interfaces
  std::optional<std::vector<UsbStorageSighting>> usb_storage;  // set: the message lists USB devices
};
// A report's facts: facts.network (with interfaces) and facts.usb[].
CentralInputs central_inputs_from_report(const nlohmann::json& facts);
// An event's data: net.* events with data.interfaces; usb.* events (but usb.detached) carry the
// device.
CentralInputs central_inputs_from_event(const std::string& kind, const nlohmann::json& data);

// usb.cross_use and the central usb.unregistered_storage for one host of `host_class`.
std::vector<Finding> evaluate_usb_rules(const std::string& host_class,
                                        const std::vector<UsbStorageSighting>& devices);

}  // namespace warden::collector
