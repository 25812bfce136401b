// Enrollment tokens between the admin API's messages and the token repository's domain values.
#pragma once

#include "collector/storage/domain/enrollment_token.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::TokenInfo to_message(const domain::EnrollmentToken& token);
v1::CreateTokenResponse to_message(const domain::CreatedEnrollmentToken& created);

}  // namespace warden::collector
