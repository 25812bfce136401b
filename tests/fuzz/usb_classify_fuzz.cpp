// USB device classification from udev/sysfs attributes (agent/usb/usb_classify.cpp) and the JSON
// the agent reports and keeps in its USB history (agent/usb/usb_probe.cpp). The device is built
// from the input the way read_usb_device builds it from sysfs: attributes trimmed of trailing
// newlines/spaces, cut to their length, hex codes lowercased.
// Invariants: the kind is one of the documented ones; MTP wins; a device with a storage
// interface is storage unless it is also MTP or a network device; the order of interfaces does
// not matter; to_json -> usb_device_from_json keeps identity, kind and the storage verdict.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "agent/usb/usb_classify.hpp"
#include "common/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace warden::agent;

namespace {

std::string attr(FuzzedDataProvider& in, size_t max) {
  std::string s = in.ConsumeRandomLengthString(2 * max + 2);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.substr(0, max);
}

std::string hex(FuzzedDataProvider& in) {
  return warden::text::lower(attr(in, 2));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  UsbDevice d;
  d.vendor_id = warden::text::lower(attr(in, 4));
  d.product_id = warden::text::lower(attr(in, 4));
  d.serial = attr(in, 128);
  d.port = attr(in, 32);
  d.device_class = hex(in);
  d.mtp = in.ConsumeBool();
  const size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < n && in.remaining_bytes() > 0; ++i) {
    UsbInterface f;
    f.class_code = hex(in);
    f.subclass = hex(in);
    f.protocol = hex(in);
    f.name = attr(in, 64);
    f.driver = in.ConsumeRandomLengthString(32);
    d.interfaces.push_back(f);
  }

  static const std::set<std::string> kinds = {"storage", "mtp", "ptp",  "network",
                                              "hid",     "hub", "other"};
  d.kind = classify_usb(d);
  FUZZ_CHECK(kinds.count(d.kind) == 1);
  if (d.mtp) FUZZ_CHECK(d.kind == "mtp");
  if (usb_is_storage(d)) FUZZ_CHECK(d.kind == "storage" || d.kind == "mtp" || d.kind == "network");
  if (d.kind == "storage") FUZZ_CHECK(usb_is_storage(d));

  UsbDevice reversed = d;
  std::reverse(reversed.interfaces.begin(), reversed.interfaces.end());
  FUZZ_CHECK(classify_usb(reversed) == d.kind);

  nlohmann::json j = to_json(d);
  FUZZ_CHECK(j["storage"].get<bool>() == usb_is_storage(d));
  UsbDevice back = usb_device_from_json(j);
  FUZZ_CHECK(back.vendor_id == d.vendor_id && back.product_id == d.product_id &&
             back.serial == d.serial && back.port == d.port && back.kind == d.kind);
  FUZZ_CHECK(usb_is_storage(back) == usb_is_storage(d));
  return 0;
}
