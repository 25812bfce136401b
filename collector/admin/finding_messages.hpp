// Stored findings between the admin API's messages and the repositories' domain values.
#pragma once

#include "collector/storage/domain/stored_finding.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::StoredFinding to_message(const domain::StoredFinding& finding);

}  // namespace warden::collector
