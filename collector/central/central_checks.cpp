#include "collector/central/central_checks.hpp"

#include <set>

namespace warden::collector {

namespace {

bool ignorable_ip(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("169.254.", 0) == 0 ||
         ip.rfind("fe80:", 0) == 0;
}

std::string str(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

nlohmann::json addresses_json(const std::vector<InterfaceAddress>& a) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& x : a) out.push_back({{"interface", x.interface}, {"ip", x.ip}, {"mac", x.mac}});
  return out;
}

}  // namespace

std::vector<InterfaceAddress> addresses_from_network_facts(const nlohmann::json& network) {
  std::vector<InterfaceAddress> out;
  if (!network.is_object() || !network.contains("interfaces") || !network["interfaces"].is_array())
    return out;
  for (const auto& itf : network["interfaces"]) {
    auto mac = normalize_mac(str(itf, "mac"));
    if (!mac || *mac == "00:00:00:00:00:00") continue;
    if (!itf.contains("addresses") || !itf["addresses"].is_array()) continue;
    for (const auto& a : itf["addresses"]) {
      auto ip = normalize_ip(a.is_string() ? a.get<std::string>() : str(a, "address"));
      if (!ip || ignorable_ip(*ip)) continue;
      out.push_back({str(itf, "name"), *ip, *mac});
    }
  }
  return out;
}

Finding evaluate_ip_binding(const BindingInput& in) {
  const char* id = "net.ip_binding";
  nlohmann::json ev = {{"hostname", in.hostname},
                       {"reported", addresses_json(in.addresses)},
                       {"connects_from", in.peer_address}};
  if (!in.ledger_for_host) {
    if (in.ledger_for_mac) {
      ev["ledger"] = {{"hostname", in.ledger_for_mac->hostname},
                      {"ip", in.ledger_for_mac->ip},
                      {"mac", in.ledger_for_mac->mac}};
      return make_finding(id, Status::fail, Severity::high, "hostname_differs", ev);
    }
    return make_finding(id, Status::fail, Severity::medium, "not_in_ledger", ev);
  }
  const auto& l = *in.ledger_for_host;
  ev["ledger"] = {{"hostname", l.hostname}, {"ip", l.ip}, {"mac", l.mac}};
  bool has_mac = false, has_ip = false, pair_ok = false;
  for (const auto& a : in.addresses) {
    has_mac |= a.mac == l.mac;
    has_ip |= a.ip == l.ip;
    pair_ok |= a.mac == l.mac && a.ip == l.ip;
  }
  if (!has_mac) return make_finding(id, Status::fail, Severity::high, "mac_differs", ev);
  if (!has_ip) return make_finding(id, Status::fail, Severity::high, "ip_changed", ev);
  if (!pair_ok) return make_finding(id, Status::fail, Severity::high, "pair_split", ev);
  if (!in.peer_address.empty() && !ignorable_ip(in.peer_address)) {
    auto peer = normalize_ip(in.peer_address);
    bool reported = false;
    for (const auto& a : in.addresses) reported |= peer && a.ip == *peer;
    if (!reported) return make_finding(id, Status::fail, Severity::medium, "peer_mismatch", ev);
  }
  return make_finding(id, Status::pass, Severity::info, "bound", ev);
}

Finding evaluate_duplicate_address(const std::vector<InterfaceAddress>& mine,
                                   const std::vector<AddressClaim>& others) {
  std::set<std::string> ips, macs;
  for (const auto& a : mine) {
    ips.insert(a.ip);
    macs.insert(a.mac);
  }
  nlohmann::json clashes = nlohmann::json::array();
  std::string first;  // the summary variant of the first clash
  for (const auto& o : others) {
    bool ip = ips.count(o.ip) > 0, mac = macs.count(o.mac) > 0;
    if (!ip && !mac) continue;
    if (first.empty()) first = ip ? "ip_clash" : "mac_clash";
    clashes.push_back({{"hostname", o.hostname},
                       {"agent_id", o.agent_id},
                       {"ip", o.ip},
                       {"mac", o.mac},
                       {"same", ip && mac ? "ip+mac"
                                : ip      ? "ip"
                                          : "mac"}});
  }
  if (clashes.empty())
    return make_finding("net.duplicate_address", Status::pass, Severity::info, "none",
                        {{"reported", addresses_json(mine)}});
  return make_finding(
      "net.duplicate_address", Status::fail, Severity::high, first,
      {{"reported", addresses_json(mine)}, {"clashes", clashes}, {"more", clashes.size() - 1}});
}

std::vector<UsbStorageSighting> storage_devices_from_facts(const nlohmann::json& usb) {
  std::vector<UsbStorageSighting> out;
  auto take = [&](const nlohmann::json& d) {
    if (!d.is_object()) return;
    bool storage =
        (d.contains("storage") && d["storage"].is_boolean() && d["storage"].get<bool>()) ||
        str(d, "class") == "storage";
    if (!storage) return;
    UsbStorageSighting s;
    s.vendor_id = str(d, "vendor_id");
    s.product_id = str(d, "product_id");
    s.serial = str(d, "serial");
    if (s.vendor_id.size() != 4 || s.product_id.size() != 4) return;
    out.push_back(std::move(s));
  };
  if (usb.is_array()) {
    for (const auto& d : usb) take(d);
  } else if (usb.is_object()) {
    take(usb.contains("device") ? usb["device"] : usb);
  }
  return out;
}

std::vector<Finding> evaluate_usb_rules(const std::string& host_class,
                                        const std::vector<UsbStorageSighting>& devices) {
  nlohmann::json cross = nlohmann::json::array(), unregistered = nlohmann::json::array();
  std::string cross_variant;  // the summary variant of the first violation
  for (const auto& d : devices) {
    nlohmann::json dj = {
        {"vendor_id", d.vendor_id}, {"product_id", d.product_id}, {"serial", d.serial}};
    if (!d.registered_class) {
      dj["reason"] =
          d.serial.empty() ? "no serial number: cannot be registered" : "not in the registry";
      unregistered.push_back(dj);
      if (d.elsewhere.empty()) continue;  // nothing says which class it belongs to
    } else {
      dj["registered_class"] = *d.registered_class;
      dj["owner"] = d.registered_owner;
    }
    std::set<std::string> seen(d.classes_seen_before.begin(), d.classes_seen_before.end());
    seen.insert(host_class);
    // What any network registered it as counts: a drive registered for classified PCs on the
    // other network is still not for a general PC here (each network registers its own).
    auto registered_as = [&](const std::string& cls) -> std::optional<std::string> {
      if (d.registered_class == cls) return std::string();
      for (const auto& e : d.elsewhere)
        if (e.registered_class == cls) return " (registered on the network of " + e.network + ")";
      return std::nullopt;
    };
    for (const auto& e : d.elsewhere) seen.insert(e.classes_seen.begin(), e.classes_seen.end());
    std::string why, variant;
    auto classified = host_class == "general" ? registered_as("classified") : std::nullopt;
    auto general = host_class == "classified" ? registered_as("general") : std::nullopt;
    if (classified) {
      why = "a drive registered for classified PCs is used on this general PC" + *classified;
      variant = "classified_on_general";
    } else if (general) {
      why = "a general drive is used on this classified PC" + *general;
      variant = "general_on_classified";
    } else if (seen.count("classified") && seen.count("general")) {
      why = d.elsewhere.empty() ? "the drive has been used on both classified and general PCs"
                                : "the drive has been used on both classified and general PCs, "
                                  "here and on another network";
      variant = "both";
    }
    if (why.empty()) continue;
    if (!d.elsewhere.empty()) {
      nlohmann::json networks = nlohmann::json::array();
      for (const auto& e : d.elsewhere)
        networks.push_back({{"network", e.network},
                            {"registered_class", e.registered_class},
                            {"classes_seen", e.classes_seen}});
      dj["elsewhere"] = networks;
    }
    dj["reason"] = why;
    dj["classes_seen"] = std::vector<std::string>(seen.begin(), seen.end());
    cross.push_back(dj);
    if (cross_variant.empty()) cross_variant = variant;
  }
  std::vector<Finding> out;
  if (cross.empty())
    out.push_back(make_finding("usb.cross_use", Status::pass, Severity::info, "none",
                               {{"host_classification", host_class}, {"devices", devices.size()}}));
  else
    out.push_back(make_finding("usb.cross_use", Status::fail, Severity::critical, cross_variant,
                               {{"host_classification", host_class}, {"violations", cross}}));
  if (unregistered.empty())
    out.push_back(
        make_finding("usb.unregistered_storage", Status::pass, Severity::info,
                     devices.empty() ? "none_seen" : "all_registered",
                     {{"devices", devices.size()}, {"confirmed_by", "collector registry"}}));
  else
    out.push_back(
        make_finding("usb.unregistered_storage", Status::fail, Severity::high, "found_central",
                     {{"unregistered", unregistered}, {"confirmed_by", "collector registry"}}));
  return out;
}

CentralInputs central_inputs_from_report(const nlohmann::json& facts) {
  CentralInputs in;
  if (!facts.is_object()) return in;
  if (auto n = facts.find("network");
      n != facts.end() && n->is_object() && n->contains("interfaces"))
    in.addresses = addresses_from_network_facts(*n);
  if (auto u = facts.find("usb"); u != facts.end() && u->is_array())
    in.usb_storage = storage_devices_from_facts(*u);
  return in;
}

CentralInputs central_inputs_from_event(const std::string& kind, const nlohmann::json& data) {
  CentralInputs in;
  if (!data.is_object()) return in;
  if (kind.rfind("net.", 0) == 0 && data.contains("interfaces"))
    in.addresses = addresses_from_network_facts(data);
  else if (kind.rfind("usb.", 0) == 0 && kind != "usb.detached")
    in.usb_storage = storage_devices_from_facts(data);
  return in;
}

}  // namespace warden::collector
