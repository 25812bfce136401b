// Units below this collector between the admin API's messages and the cascade repository's domain
// values.
#pragma once

#include "collector/storage/domain/unit_summary.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::UnitSummary to_message(const domain::UnitSummary& unit);

}  // namespace warden::collector
