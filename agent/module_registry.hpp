// The list of check modules and event sources the agent runs on this platform.
#pragma once

#include <memory>
#include <vector>

#include "agent/check_module.hpp"

namespace warden::agent {

std::vector<std::unique_ptr<CheckModule>> make_check_modules(const ProbeContext& ctx);
std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& ctx);

}  // namespace warden::agent
