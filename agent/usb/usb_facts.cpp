// USB devices as JSON (the same shape from every platform's probe), and back (the local history).
#include "agent/usb/usb_facts.hpp"

#include "agent/usb/usb_classify.hpp"
#include "common/duration.hpp"

namespace warden::agent {

nlohmann::json to_json(const UsbDevice& d) {
  nlohmann::json ifs = nlohmann::json::array();
  for (const auto& i : d.interfaces)
    ifs.push_back({{"class", i.class_code},
                   {"subclass", i.subclass},
                   {"protocol", i.protocol},
                   {"name", i.name},
                   {"driver", i.driver}});
  nlohmann::json j = {{"vendor_id", d.vendor_id},
                      {"product_id", d.product_id},
                      {"serial", d.serial},
                      {"manufacturer", d.manufacturer},
                      {"product", d.product},
                      {"class", d.kind},
                      {"storage", usb_is_storage(d)},
                      {"port", d.port},
                      {"speed", d.speed},
                      {"authorized", d.authorized},
                      {"interfaces", ifs},
                      {"block_devices", d.block_devices},
                      {"mount_points", d.mount_points},
                      {"syspath", d.syspath},
                      {"seen_at", d.seen_at}};
  if (!d.source.empty()) j["source"] = d.source;
  if (d.first_seen != 0) j["first_seen"] = format_time_utc(d.first_seen * 1000);
  if (d.last_seen != 0) j["last_seen"] = format_time_utc(d.last_seen * 1000);
  return j;
}

nlohmann::json to_json(const std::vector<UsbDevice>& devices) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : devices) out.push_back(to_json(d));
  return out;
}

UsbDevice usb_device_from_json(const nlohmann::json& j) {
  UsbDevice d;
  auto s = [&](const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
  };
  d.vendor_id = s("vendor_id"), d.product_id = s("product_id"), d.serial = s("serial");
  d.manufacturer = s("manufacturer"), d.product = s("product"), d.kind = s("class"),
  d.port = s("port");
  d.syspath = s("syspath");
  // Type-checked like the strings: j.value() throws on a wrong type (a damaged history line).
  d.seen_at =
      j.contains("seen_at") && j["seen_at"].is_number_integer() ? j["seen_at"].get<int64_t>() : 0;
  if (j.contains("storage") && j["storage"].is_boolean() && j["storage"].get<bool>())
    d.interfaces.push_back({"08", "06", "50", "", ""});
  return d;
}

}  // namespace warden::agent
