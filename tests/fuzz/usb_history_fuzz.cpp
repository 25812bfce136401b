// One line of the agent's USB history file (JSON lines in its state dir, read back by
// UsbHistory::load through usb_device_from_json in agent/usb/usb_probe.cpp). The file may be
// truncated or edited; a bad line must not take the USB module down.
// Invariants: any JSON object yields a device without throwing; the device written back with
// to_json and read again is the same device.
#include <cstddef>
#include <cstdint>

#include "agent/usb/usb_classify.hpp"
#include "agent/usb/usb_facts.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace warden::agent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (!j.is_object()) return 0;  // what UsbHistory::load skips
  UsbDevice d = usb_device_from_json(j);
  UsbDevice again = usb_device_from_json(nlohmann::json::parse(to_json(d).dump()));
  FUZZ_CHECK(again.vendor_id == d.vendor_id && again.product_id == d.product_id &&
             again.serial == d.serial && again.manufacturer == d.manufacturer &&
             again.product == d.product && again.kind == d.kind && again.port == d.port &&
             again.syspath == d.syspath && again.seen_at == d.seen_at);
  FUZZ_CHECK(usb_is_storage(again) == usb_is_storage(d));
  return 0;
}
