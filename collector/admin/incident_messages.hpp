// Incidents between the admin API's messages and the repositories' domain values.
#pragma once

#include "collector/storage/domain/incident.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::Incident to_message(const domain::Incident& incident);

}  // namespace warden::collector
