#include "agent/usb/usb_classify.hpp"

#include <algorithm>

namespace warden::agent {

namespace {
bool net_driver(const std::string& d) {
  static const char* k[] = {"rndis_host", "cdc_ether",      "cdc_ncm", "cdc_mbim",     "qmi_wwan",
                            "ipheth",     "huawei_cdc_ncm", "r8152",   "ax88179_178a", "asix"};
  return std::any_of(std::begin(k), std::end(k), [&](const char* x) { return d == x; });
}
}  // namespace

std::string classify_usb(const UsbDevice& d) {
  bool storage = false, ptp = false, net = false, hid = false, hub = d.device_class == "09",
       mtp = d.mtp;
  for (const auto& i : d.interfaces) {
    std::string c = i.class_code;
    if (i.name.find("MTP") != std::string::npos) mtp = true;
    if (c == "08") storage = true;
    if (c == "06") ptp = true;
    if (c == "02" || c == "0a" || (c == "e0" && i.subclass == "01" && i.protocol == "03") ||
        (c == "ef" && i.subclass == "04" && i.protocol == "01") || net_driver(i.driver))
      net = true;
    if (c == "03") hid = true;
    if (c == "09") hub = true;
  }
  if (mtp) return "mtp";
  if (net) return "network";
  if (storage) return "storage";
  if (ptp) return "ptp";
  if (hid) return "hid";
  if (hub) return "hub";
  return "other";
}

bool usb_is_storage(const UsbDevice& d) {
  return std::any_of(d.interfaces.begin(), d.interfaces.end(),
                     [](const UsbInterface& i) { return i.class_code == "08"; });
}

}  // namespace warden::agent
