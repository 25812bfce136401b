// The problem list between the admin API's messages and the remediation repository's domain
// values.
#pragma once

#include "collector/storage/domain/remediation_item.hpp"
#include "common/time_zone.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

// `zone`: the collector's, in which the deadline is a local date.
v1::RemediationItem to_message(const domain::RemediationItem& item, const TimeZone& zone);

domain::RemediationFilter remediation_filter_from(const v1::ListRemediationRequest& request);

}  // namespace warden::collector
