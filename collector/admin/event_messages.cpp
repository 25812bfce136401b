#include "collector/admin/event_messages.hpp"

#include "common/error.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {
constexpr uint32_t kDefaultEvents = 1000;
}  // namespace

v1::EventRecord to_message(const domain::HostEvent& event) {
  v1::EventRecord out;
  out.set_agent_id(event.agent_id);
  out.set_hostname(event.hostname);
  out.set_kind(event.kind);
  out.set_at_ms(event.at_ms);
  out.set_received_at_ms(event.received_at_ms);
  out.set_data_json(event.data_json);
  return out;
}

domain::EventFilter event_filter_from(const v1::ListEventsRequest& request) {
  if (!request.kind().empty())
    if (auto err = validate::identifier("the event kind", request.kind()); !err.empty())
      throw Failure(invalid(err));
  if (auto err = validate::text("the host", request.host(), 256, true); !err.empty())
    throw Failure(invalid(err));
  return {request.since_ms(), request.kind(), request.host(),
          request.limit() > 0 ? request.limit() : kDefaultEvents};
}

}  // namespace warden::collector
