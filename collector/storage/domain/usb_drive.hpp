// The removable media registry as its repository keeps it (collector/database/store_registry.cpp):
// registered drives and where drives were seen. Plain values; the admin layer validates a
// registration before it gets here and converts the results (collector/admin/usb_messages.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace warden::collector::domain {

struct UsbDrive {
  std::string vendor_id;   // 4 lower-case hex digits
  std::string product_id;  // 4 lower-case hex digits
  std::string serial;
  std::string classification;  // classified | general
  std::string owner;
  int64_t registered_at_ms = 0;
  std::string registered_by;
  std::string note;
  bool operator==(const UsbDrive&) const = default;
};

// What registering a drive found: the drive as stored, and the other models ("vendor:product")
// registered with the same serial (a hint that the serial is not unique).
struct UsbRegistration {
  UsbDrive drive;
  std::vector<std::string> same_serial_models;
};

// A drive seen on a host (usb_sightings).
struct UsbSighting {
  std::string agent_id;
  std::string hostname;
  std::string host_classification;
  int64_t first_seen_ms = 0;
  int64_t last_seen_ms = 0;
  std::string vendor_id;
  std::string product_id;
};

struct UsbDriveHistory {
  std::vector<UsbDrive> registered;    // every model registered with the serial
  std::vector<UsbSighting> sightings;  // oldest first
};

}  // namespace warden::collector::domain
