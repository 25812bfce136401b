// The audit log as its repository keeps it (collector/database/store_queries.cpp): who did what,
// when, with the details as JSON text. Plain values; the admin layer converts them.
#pragma once

#include <cstdint>
#include <string>

namespace warden::collector::domain {

struct AuditEntry {
  int64_t at_ms = 0;
  std::string actor;
  std::string action;
  std::string details_json;
  bool operator==(const AuditEntry&) const = default;
};

}  // namespace warden::collector::domain
