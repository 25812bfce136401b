// Pure evaluation: patch.security_updates, patch.updates_recent, patch.reboot_pending.
#pragma once

#include <vector>

#include "agent/patches/patch_facts.hpp"
#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

std::vector<Finding> evaluate_patches(const PatchFacts& facts, const PatchPolicy& policy,
                                      int64_t now_s);

}  // namespace warden::agent
