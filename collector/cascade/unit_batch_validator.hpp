// Validates every field of what a unit's collector forwards (UnitBatch) and of a unit's
// enrollment before anything is stored. Returns an empty string when acceptable, else the reason.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "warden/v1/cascade.pb.h"

namespace warden::collector {

inline constexpr size_t kMaxBatchHosts = 2000;
inline constexpr size_t kMaxBatchIncidents = 1000;
inline constexpr size_t kMaxBatchSweeps = 1000;
inline constexpr size_t kMaxBatchMembers = 1000;

// How many of each one batch may hold: a link's batches are small and frequent; an offline
// exchange bundle carries one unit's whole state at once.
struct UnitBatchLimits {
  size_t hosts = kMaxBatchHosts;
  size_t incidents = kMaxBatchIncidents;
  size_t sweeps = kMaxBatchSweeps;
  size_t members = kMaxBatchMembers;
};
inline constexpr UnitBatchLimits kBundleBatchLimits{200000, 100000, 10000, 10000};
inline constexpr size_t kMaxChecksPerHost = 512;
inline constexpr size_t kMaxUnitNameBytes = 128;
inline constexpr size_t kMaxOriginDepth = 8;
// An incident's fields admins fill in, as forwarded: names (location, service, reporter), texts.
inline constexpr size_t kMaxIncidentNameBytes = 512;
inline constexpr size_t kMaxIncidentTextBytes = 4096;

// A unit's name: 1..128 bytes of printable UTF-8 without '/' (paths join names with it).
std::string validate_unit_name(std::string_view name);
// "" or unit names joined by '/', at most kMaxOriginDepth of them.
std::string validate_origin(std::string_view origin);
std::string validate_unit_batch(const v1::UnitBatch& batch, const UnitBatchLimits& limits = {});

}  // namespace warden::collector
