// Hosts between the protocol's messages (the agent's HostInfo, the admin API's host messages) and
// the repositories' domain values.
#pragma once

#include "collector/storage/domain/fleet_status.hpp"
#include "collector/storage/domain/host.hpp"
#include "warden/v1/admin.pb.h"
#include "warden/v1/common.pb.h"

namespace warden::collector {

// What the agent says (validated first: validate_host_info).
domain::HostDescription from_message(const v1::HostInfo& info);
v1::HostInfo to_message(const domain::HostDescription& description);

v1::HostSummary to_message(const domain::HostSummary& host);
v1::GetHostResponse to_message(const domain::HostDetail& detail);
v1::GetStatusResponse to_message(const domain::FleetStatus& status);
v1::HostHistoryResponse to_message(const domain::HostHistory& history);

// The request's filters (the unit is the admin service's to resolve). Throws Failure(invalid)
// naming what is wrong: a department or check that is no identifier, a classification other than
// general or classified, a negative silence.
domain::HostFilter host_filter_from(const v1::ListHostsRequest& request);

// What an admin asks to change, validated: a department path, an owner of at most 128 bytes of
// printable text, a classification (general or classified, normalised). Throws Failure(invalid).
domain::HostChange host_change_from(const v1::SetHostRequest& request, const std::string& actor);

}  // namespace warden::collector
