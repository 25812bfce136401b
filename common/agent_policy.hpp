// The policy an agent evaluates its facts against. The collector computes it per department
// (docs/policy.md) and pushes it as JSON; the agent caches it and falls back to these defaults.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace warden {

struct UsbDeviceId {
  std::string vendor_id;   // 4 lowercase hex digits
  std::string product_id;  // 4 lowercase hex digits
  std::string serial;      // as the device reports it
  bool operator==(const UsbDeviceId&) const = default;
};

struct AntivirusPolicy {
  bool required = true;
  int signature_max_age_days = 7;
  nlohmann::json extra_products = nlohmann::json::array();  // catalog entries added by admins
};

struct PatchPolicy {
  int security_grace_days = 7;  // a pending security update may wait this long
  int updates_recent_days = 7;  // the package lists must have been refreshed this recently
  // Release labels (or origins) whose packages count as security updates (Kylin V10 has no
  // -security suite, so admins can name their mirror's label or origin here).
  std::vector<std::string> security_origins = {"Debian-Security"};
  std::vector<std::string> security_suite_patterns = {"-security", "security"};
  // Source files whose packages count as security updates (UOS: security.list).
  std::vector<std::string> security_source_files = {"/etc/apt/sources.list.d/security.list"};
};

struct NetworkPolicy {
  bool allow_wireless = false;
  bool allow_usb_network = false;
  int max_default_routes = 1;
  bool intranet_only = false;               // run the egress probe
  std::vector<std::string> egress_targets;  // host:port that must NOT be reachable
  int egress_timeout_ms = 3000;
};

struct UsbPolicy {
  std::string mode = "audit";  // "audit" reports; "block" also deauthorizes unregistered storage
  std::vector<UsbDeviceId> allowed_storage;
  bool allow_portable_devices = false;  // phones/cameras (MTP/PTP)
};

struct HostPolicy {
  bool require_firewall = true;
  int screen_lock_max_idle_seconds = 600;
  bool allow_shared_folders = false;
  int password_max_age_days = 90;
};

struct AgentPolicy {
  uint64_t version = 0;  // 0: the built-in default
  std::set<std::string> disabled_checks;
  int heartbeat_interval_seconds = 60;
  AntivirusPolicy antivirus;
  PatchPolicy patches;
  NetworkPolicy network;
  UsbPolicy usb;
  HostPolicy host;

  bool check_enabled(const std::string& check_id) const {
    return disabled_checks.count(check_id) == 0;
  }
};

// Parses a policy JSON object. Missing keys keep their defaults. With strict = true, unknown keys
// and out-of-range values are errors (what admins get when they import a policy); with strict =
// false (an agent reading what a newer collector pushed) unknown keys are ignored.
// Throws std::invalid_argument with a message naming the offending key.
AgentPolicy parse_agent_policy(const nlohmann::json& j, bool strict);
nlohmann::json to_json(const AgentPolicy& p);

}  // namespace warden
