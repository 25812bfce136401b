// Events between the admin API's messages and the event repository's domain values.
#pragma once

#include "collector/storage/domain/host_event.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::EventRecord to_message(const domain::HostEvent& event);

// The query a request asks for: a kind is an identifier (a-z, 0-9, '_', '.'), a host printable
// text; no limit means the newest 1,000. Throws Failure(invalid) naming what is wrong.
domain::EventFilter event_filter_from(const v1::ListEventsRequest& request);

}  // namespace warden::collector
