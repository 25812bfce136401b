// Validates every field of an opened exchange bundle before anything is applied (the bundle was
// signed by a pinned peer, which still may be wrong or compromised). Returns "" when acceptable,
// else the reason.
#pragma once

#include <string>
#include <string_view>

#include "warden/v1/exchange.pb.h"

namespace warden::collector {

inline constexpr size_t kMaxBundleDrives = 100000;

// "SHA256:" and 64 lowercase hex digits.
std::string validate_fingerprint(std::string_view fingerprint);
std::string validate_bundle(const v1::ExchangeBundle& bundle);

}  // namespace warden::collector
