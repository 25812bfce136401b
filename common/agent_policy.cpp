#include "common/agent_policy.hpp"

#include <stdexcept>

namespace warden {

namespace {

using nlohmann::json;

class Reader {
 public:
  Reader(const json& j, std::string path, bool strict)
      : j_(j), path_(std::move(path)), strict_(strict) {
    if (!j_.is_object()) throw std::invalid_argument(where() + " must be an object");
  }

  void check_unknown(std::initializer_list<const char*> known) const {
    if (!strict_) return;
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      bool found = false;
      for (const char* k : known) found = found || it.key() == k;
      if (!found) throw std::invalid_argument("unknown key '" + key(it.key()) + "'");
    }
  }

  void get(const char* k, bool& out) const {
    if (!j_.contains(k)) return;
    if (!j_[k].is_boolean()) throw std::invalid_argument(key(k) + " must be true or false");
    out = j_[k].get<bool>();
  }

  void get(const char* k, int& out, int lo, int hi) const {
    if (!j_.contains(k)) return;
    if (!j_[k].is_number_integer()) throw std::invalid_argument(key(k) + " must be a whole number");
    auto v = j_[k].get<int64_t>();
    if (v < lo || v > hi)
      throw std::invalid_argument(key(k) + " must be between " + std::to_string(lo) + " and " +
                                  std::to_string(hi) + ", got " + std::to_string(v));
    out = static_cast<int>(v);
  }

  void get(const char* k, std::string& out) const {
    if (!j_.contains(k)) return;
    if (!j_[k].is_string()) throw std::invalid_argument(key(k) + " must be a string");
    out = j_[k].get<std::string>();
  }

  void get(const char* k, std::vector<std::string>& out) const {
    if (!j_.contains(k)) return;
    if (!j_[k].is_array()) throw std::invalid_argument(key(k) + " must be a list of strings");
    out.clear();
    for (const auto& v : j_[k]) {
      if (!v.is_string()) throw std::invalid_argument(key(k) + " must be a list of strings");
      out.push_back(v.get<std::string>());
    }
  }

  Reader sub(const char* k) const {
    static const json empty = json::object();
    return Reader(j_.contains(k) ? j_[k] : empty, key(k), strict_);
  }
  const json& raw() const { return j_; }
  std::string key(const std::string& k) const { return path_.empty() ? k : path_ + "." + k; }
  std::string where() const { return path_.empty() ? "policy" : path_; }

 private:
  const json& j_;
  std::string path_;
  bool strict_;
};

bool is_hex4(const std::string& s) {
  if (s.size() != 4) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

AgentPolicy parse_agent_policy(const json& j, bool strict) {
  AgentPolicy p;
  Reader r(j, "", strict);
  r.check_unknown({"version", "disabled_checks", "heartbeat_interval_seconds", "antivirus",
                   "patches", "network", "usb", "host"});
  if (j.contains("version")) {
    if (!j["version"].is_number_unsigned()) throw std::invalid_argument("version must be >= 0");
    p.version = j["version"].get<uint64_t>();
  }
  std::vector<std::string> disabled;
  r.get("disabled_checks", disabled);
  p.disabled_checks.insert(disabled.begin(), disabled.end());
  r.get("heartbeat_interval_seconds", p.heartbeat_interval_seconds, 5, 3600);

  auto av = r.sub("antivirus");
  av.check_unknown({"required", "signature_max_age_days", "extra_products"});
  av.get("required", p.antivirus.required);
  av.get("signature_max_age_days", p.antivirus.signature_max_age_days, 1, 365);
  if (av.raw().contains("extra_products")) {
    if (!av.raw()["extra_products"].is_array())
      throw std::invalid_argument("antivirus.extra_products must be a list of catalog entries");
    p.antivirus.extra_products = av.raw()["extra_products"];
  }

  auto pa = r.sub("patches");
  pa.check_unknown({"security_grace_days", "updates_recent_days", "security_origins",
                    "security_suite_patterns", "security_source_files"});
  pa.get("security_grace_days", p.patches.security_grace_days, 0, 365);
  pa.get("updates_recent_days", p.patches.updates_recent_days, 1, 365);
  pa.get("security_origins", p.patches.security_origins);
  pa.get("security_suite_patterns", p.patches.security_suite_patterns);
  pa.get("security_source_files", p.patches.security_source_files);

  auto ne = r.sub("network");
  ne.check_unknown({"allow_wireless", "allow_usb_network", "max_default_routes", "intranet_only",
                    "egress_targets", "egress_timeout_ms"});
  ne.get("allow_wireless", p.network.allow_wireless);
  ne.get("allow_usb_network", p.network.allow_usb_network);
  ne.get("max_default_routes", p.network.max_default_routes, 0, 16);
  ne.get("intranet_only", p.network.intranet_only);
  ne.get("egress_targets", p.network.egress_targets);
  ne.get("egress_timeout_ms", p.network.egress_timeout_ms, 100, 30000);
  for (const auto& t : p.network.egress_targets) {
    auto colon = t.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= t.size())
      throw std::invalid_argument("network.egress_targets entry '" + t + "' must be host:port");
  }

  auto us = r.sub("usb");
  us.check_unknown({"mode", "allowed_storage", "allow_portable_devices"});
  us.get("mode", p.usb.mode);
  if (p.usb.mode != "audit" && p.usb.mode != "block")
    throw std::invalid_argument("usb.mode must be \"audit\" or \"block\", got \"" + p.usb.mode +
                                "\"");
  us.get("allow_portable_devices", p.usb.allow_portable_devices);
  if (us.raw().contains("allowed_storage")) {
    const auto& list = us.raw()["allowed_storage"];
    if (!list.is_array()) throw std::invalid_argument("usb.allowed_storage must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      Reader d(list[i], "usb.allowed_storage[" + std::to_string(i) + "]", strict);
      d.check_unknown({"vendor_id", "product_id", "serial"});
      UsbDeviceId id;
      d.get("vendor_id", id.vendor_id);
      d.get("product_id", id.product_id);
      d.get("serial", id.serial);
      if (!is_hex4(id.vendor_id) || !is_hex4(id.product_id))
        throw std::invalid_argument(d.where() +
                                    ": vendor_id and product_id must be 4 lowercase hex digits");
      p.usb.allowed_storage.push_back(std::move(id));
    }
  }

  auto ho = r.sub("host");
  ho.check_unknown({"require_firewall", "screen_lock_max_idle_seconds", "allow_shared_folders",
                    "password_max_age_days"});
  ho.get("require_firewall", p.host.require_firewall);
  ho.get("screen_lock_max_idle_seconds", p.host.screen_lock_max_idle_seconds, 30, 86400);
  ho.get("allow_shared_folders", p.host.allow_shared_folders);
  ho.get("password_max_age_days", p.host.password_max_age_days, 1, 3650);
  return p;
}

nlohmann::json to_json(const AgentPolicy& p) {
  json allowed = json::array();
  for (const auto& d : p.usb.allowed_storage)
    allowed.push_back(
        {{"vendor_id", d.vendor_id}, {"product_id", d.product_id}, {"serial", d.serial}});
  return {
      {"version", p.version},
      {"disabled_checks",
       std::vector<std::string>(p.disabled_checks.begin(), p.disabled_checks.end())},
      {"heartbeat_interval_seconds", p.heartbeat_interval_seconds},
      {"antivirus",
       {{"required", p.antivirus.required},
        {"signature_max_age_days", p.antivirus.signature_max_age_days},
        {"extra_products", p.antivirus.extra_products}}},
      {"patches",
       {{"security_grace_days", p.patches.security_grace_days},
        {"updates_recent_days", p.patches.updates_recent_days},
        {"security_origins", p.patches.security_origins},
        {"security_suite_patterns", p.patches.security_suite_patterns},
        {"security_source_files", p.patches.security_source_files}}},
      {"network",
       {{"allow_wireless", p.network.allow_wireless},
        {"allow_usb_network", p.network.allow_usb_network},
        {"max_default_routes", p.network.max_default_routes},
        {"intranet_only", p.network.intranet_only},
        {"egress_targets", p.network.egress_targets},
        {"egress_timeout_ms", p.network.egress_timeout_ms}}},
      {"usb",
       {{"mode", p.usb.mode},
        {"allowed_storage", allowed},
        {"allow_portable_devices", p.usb.allow_portable_devices}}},
      {"host",
       {{"require_firewall", p.host.require_firewall},
        {"screen_lock_max_idle_seconds", p.host.screen_lock_max_idle_seconds},
        {"allow_shared_folders", p.host.allow_shared_folders},
        {"password_max_age_days", p.host.password_max_age_days}}},
  };
}

}  // namespace warden
