// Remembers when each pending update was first seen, so grace periods can be judged. A small
// JSON file in the agent's state directory; bounded to the packages pending now.
#pragma once

#include <filesystem>
#include <vector>

#include "agent/patches/patch_facts.hpp"

namespace warden::agent {

// Fills first_seen for each upgrade from `file` (now for new ones) and rewrites the file with
// exactly the pending set. Without a file path, everything is first seen now.
void apply_first_seen(std::vector<PendingUpgrade>& upgrades, const std::filesystem::path& file,
                      int64_t now_s);

}  // namespace warden::agent
