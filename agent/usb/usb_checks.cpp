#include "agent/usb/usb_checks.hpp"

#include "agent/usb/usb_classify.hpp"

namespace warden::agent {

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
  std::string first_portable;  // the summary variant of the first portable device
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
      }
    }
    bool phone = (d.kind == "mtp" || d.kind == "ptp") && !policy.usb.allow_portable_devices;
    bool net = d.kind == "network" && !policy.network.allow_usb_network;
    if (phone || net) {
      portable.push_back(to_json(d));
      if (first_portable.empty()) first_portable = d.kind == "network" ? "network" : "portable";
    }
  }
  std::vector<Finding> out;
  if (unregistered.empty())
    out.push_back(make_finding("usb.unregistered_storage", Status::pass, Severity::info,
                               storage ? "all_registered" : "none_attached",
                               {{"storage_devices", storage}}));
  else
    out.push_back(make_finding("usb.unregistered_storage", Status::fail, Severity::high, "found",
                               {{"unregistered", unregistered},
                                {"more", unregistered.size() - 1},
                                {"mode", policy.usb.mode}}));
  if (portable.empty())
    out.push_back(make_finding("usb.portable_device", Status::pass, Severity::info, "none"));
  else
    out.push_back(make_finding("usb.portable_device", Status::fail, Severity::medium,
                               first_portable, {{"devices", portable}}));
  return out;
}

}  // namespace warden::agent
