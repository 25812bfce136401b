#include "agent/module_registry.hpp"

#include "agent/antivirus/antivirus_module.hpp"
#include "agent/host/host_module.hpp"
#include "agent/hygiene/hygiene_module.hpp"
#include "agent/network/netlink_watcher.hpp"
#include "agent/network/network_module.hpp"
#include "agent/patches/patch_module.hpp"
// Domain modules register here: one include and one line each.

namespace warden::agent {

std::vector<std::unique_ptr<CheckModule>> make_check_modules(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<CheckModule>> modules;
  modules.push_back(std::make_unique<HostModule>(ctx));
  modules.push_back(std::make_unique<AntivirusModule>(ctx, std::make_unique<LinuxAntivirusProbe>(ctx)));
  modules.push_back(std::make_unique<HygieneModule>(ctx));
  modules.push_back(std::make_unique<PatchModule>(ctx, std::make_unique<DebianPatchProbe>(ctx)));
  modules.push_back(std::make_unique<NetworkModule>(std::make_unique<LinuxNetworkProbe>(ctx)));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<NetlinkWatcher>(std::make_unique<LinuxNetworkProbe>(ctx)));
  return sources;
}

}  // namespace warden::agent
