// Sweeps between the admin API's messages and the sweep repository's domain values.
#pragma once

#include "collector/storage/domain/sweep.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::SweepSummary to_message(const domain::SweepSummary& sweep);
v1::GetSweepResponse to_message(const domain::SweepProgress& progress);

}  // namespace warden::collector
