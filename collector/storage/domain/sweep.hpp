// Sweeps as their repository keeps them (collector/database/store.cpp, store_queries.cpp): who
// asked for one and when, and how far it got. Plain values; the admin layer converts them
// (collector/admin/sweep_messages.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/storage/domain/stored_finding.hpp"

namespace warden::collector::domain {

struct SweepSummary {
  uint64_t id = 0;
  int64_t requested_at_ms = 0;
  std::string requested_by;
  std::string kind;        // manual | scheduled
  std::string department;  // "" = every host
  uint32_t expected = 0;   // online when it started: asked at once
  uint32_t answered = 0;   // of those
  uint32_t deferred = 0;   // offline then: they run it when they come back
};

// One sweep in full: which hosts answered, which are missing, and the failures it found.
struct SweepProgress {
  SweepSummary sweep;
  std::vector<std::string> answered_hosts;  // hostnames, sorted
  std::vector<std::string> missing;         // asked at once, not answered yet
  uint32_t deferred_answered = 0;
  std::vector<StoredFinding> failures;  // failing results reported for this sweep
};

}  // namespace warden::collector::domain
