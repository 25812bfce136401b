#include "agent/module_registry.hpp"

#include "agent/host/host_module.hpp"
// Domain modules register here: one include and one line each.

namespace warden::agent {

std::vector<std::unique_ptr<CheckModule>> make_check_modules(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<CheckModule>> modules;
  modules.push_back(std::make_unique<HostModule>(ctx));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& /*ctx*/) {
  std::vector<std::unique_ptr<EventSource>> sources;
  return sources;
}

}  // namespace warden::agent
