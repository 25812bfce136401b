#include "agent/usb/usb_checks.hpp"

#include "agent/usb/usb_classify.hpp"

namespace warden::agent {

namespace {
std::string ident(const UsbDevice& d) {
  return d.vendor_id + ":" + d.product_id +
         (d.serial.empty() ? " (no serial)" : " serial " + d.serial) +
         (d.product.empty() ? "" : " \"" + d.product + "\"");
}
}  // namespace

bool usb_storage_allowed(const UsbDevice& d, const UsbPolicy& p) {
  if (d.serial.empty()) return false;  // cannot be told apart from others of its model
  for (const auto& a : p.allowed_storage)
    if (!a.serial.empty() && a.vendor_id == d.vendor_id && a.product_id == d.product_id &&
        a.serial == d.serial)
      return true;
  return false;
}

std::vector<Finding> evaluate_usb(const std::vector<UsbDevice>& devices, const AgentPolicy& policy,
                                  const std::vector<UsbDevice>& deauthorized) {
  nlohmann::json unregistered = nlohmann::json::array(), portable = nlohmann::json::array();
  std::string first_storage, first_portable;
  size_t storage = 0;
  for (const auto& d : devices) {
    if (usb_is_storage(d) || d.kind == "storage") {
      ++storage;
      if (!usb_storage_allowed(d, policy.usb)) {
        auto j = to_json(d);
        bool blocked = false;
        for (const auto& x : deauthorized) blocked |= x.syspath == d.syspath;
        j["deauthorized"] = blocked;
        unregistered.push_back(j);
        if (first_storage.empty()) first_storage = ident(d) + (blocked ? " (blocked)" : "");
      }
    }
    bool phone = (d.kind == "mtp" || d.kind == "ptp") && !policy.usb.allow_portable_devices;
    bool net = d.kind == "network" && !policy.network.allow_usb_network;
    if (phone || net) {
      portable.push_back(to_json(d));
      if (first_portable.empty())
        first_portable =
            (d.kind == "network" ? "USB network device " : "portable device ") + ident(d);
    }
  }
  std::vector<Finding> out;
  if (unregistered.empty())
    out.push_back(
        make_finding("usb.unregistered_storage", Status::pass, Severity::info,
                     storage ? "all USB storage is registered" : "no USB storage attached",
                     {{"storage_devices", storage}}));
  else
    out.push_back(make_finding(
        "usb.unregistered_storage", Status::fail, Severity::high,
        "unregistered USB storage " + first_storage +
            (unregistered.size() > 1 ? " (and " + std::to_string(unregistered.size() - 1) + " more)"
                                     : ""),
        {{"unregistered", unregistered}, {"mode", policy.usb.mode}}));
  if (portable.empty())
    out.push_back(make_finding("usb.portable_device", Status::pass, Severity::info,
                               "no phone, camera or USB network device attached"));
  else
    out.push_back(make_finding("usb.portable_device", Status::fail, Severity::medium,
                               first_portable + " attached", {{"devices", portable}}));
  return out;
}

}  // namespace warden::agent
