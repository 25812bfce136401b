#include "collector/admin/usb_messages.hpp"

namespace warden::collector {

v1::UsbDevice to_message(const domain::UsbDrive& drive) {
  v1::UsbDevice out;
  out.set_vendor_id(drive.vendor_id);
  out.set_product_id(drive.product_id);
  out.set_serial(drive.serial);
  out.set_classification(drive.classification);
  out.set_owner(drive.owner);
  out.set_registered_at_ms(drive.registered_at_ms);
  out.set_registered_by(drive.registered_by);
  out.set_note(drive.note);
  return out;
}

v1::UsbSighting to_message(const domain::UsbSighting& sighting) {
  v1::UsbSighting out;
  out.set_agent_id(sighting.agent_id);
  out.set_hostname(sighting.hostname);
  out.set_host_classification(sighting.host_classification);
  out.set_first_seen_ms(sighting.first_seen_ms);
  out.set_last_seen_ms(sighting.last_seen_ms);
  out.set_vendor_id(sighting.vendor_id);
  out.set_product_id(sighting.product_id);
  return out;
}

v1::UsbHistoryResponse to_message(const domain::UsbDriveHistory& history) {
  v1::UsbHistoryResponse out;
  for (const auto& d : history.registered) *out.add_registered() = to_message(d);
  for (const auto& s : history.sightings) *out.add_sightings() = to_message(s);
  return out;
}

}  // namespace warden::collector
