// Department policy as its repository keeps it (collector/database/store_policy.cpp): each
// department's own overrides, what its hosts get once inherited, and the global revision. Plain
// values; the admin layer checks a change's department and document before it gets here and
// converts the results (collector/admin/policy_messages.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace warden::collector::domain {

struct DepartmentPolicy {
  std::string department;                               // "" = the root
  nlohmann::json document = nlohmann::json::object();   // this department's own overrides
  nlohmann::json effective = nlohmann::json::object();  // what hosts in this department get
  uint64_t revision = 0;
  std::vector<std::string> departments_with_overrides;
};

// A change to one department's overrides: `document` (a JSON object) is merged in (RFC 7386),
// or replaces them.
struct PolicyChange {
  std::string department;
  nlohmann::json document = nlohmann::json::object();
  bool replace = false;
  std::string actor;
};

}  // namespace warden::collector::domain
