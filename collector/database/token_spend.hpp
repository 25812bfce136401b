// Spending an enrollment token: the one check both an agent's and a unit's enrollment make.
// Private to collector/database and collector/cascade.
#pragma once

#include <cstdint>
#include <string>

#include "collector/storage/database.hpp"

namespace warden::collector {

struct SpentToken {
  std::string id;
  std::string department;
};

// Inside the caller's transaction: checks that `token` exists with this secret, is of `kind`
// ("agent" or "unit"), is not revoked, expired or used up, and counts a use. Throws
// EnrollmentRefused (store.hpp) with the reason otherwise; unknown ID and wrong secret give the
// same answer, so the message is no oracle for guessing.
SpentToken spend_token(storage::Connection& db, const std::string& token, const std::string& kind,
                       int64_t now_ms);

}  // namespace warden::collector
