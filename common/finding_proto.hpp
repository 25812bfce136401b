// Conversions between the in-memory Finding and its wire form (warden.v1.Finding).
#pragma once

#include "common/finding.hpp"
#include "warden/v1/common.pb.h"

namespace warden {

v1::Status to_proto(Status s);
v1::Severity to_proto(Severity s);
void to_proto(const Finding& f, v1::Finding* out);
// Unknown enum values map to error/info; the collector validates separately.
Status from_proto(v1::Status s);
Severity from_proto(v1::Severity s);

}  // namespace warden
