// Events as their repository keeps them (collector/database/store_queries.cpp): what an agent
// (or the collector, about an agent) observed between sweeps. Plain values; the admin layer
// checks a query and converts the results (collector/admin/event_messages.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace warden::collector::domain {

struct HostEvent {
  std::string agent_id;
  std::string hostname;
  std::string kind;  // e.g. usb.inserted, warden.rejected
  int64_t at_ms = 0;
  int64_t received_at_ms = 0;
  std::string data_json;
};

// Which events a list shows, newest first.
struct EventFilter {
  int64_t since_ms = 0;  // received at or after
  std::string kind;      // this kind and those below it (usb: usb.inserted, ...); "" = any
  std::string host;      // agent ID or hostname; "" = any
  uint32_t limit = 0;
};

}  // namespace warden::collector::domain
