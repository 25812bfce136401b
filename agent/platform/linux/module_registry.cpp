#include "agent/module_registry.hpp"

#include <map>

#include "agent/antivirus/antivirus_module.hpp"
#include "agent/host/host_module.hpp"
#include "agent/hygiene/hygiene_module.hpp"
#include "agent/network/netlink_watcher.hpp"
#include "agent/network/network_module.hpp"
#include "agent/patches/patch_module.hpp"
#include "agent/usb/udev_watcher.hpp"
#include "agent/usb/usb_module.hpp"
// Domain modules register here: one include and one line each.

namespace warden::agent {

namespace {
// One history per state dir, shared by the sweep's module and the hot-plug watcher.
std::shared_ptr<UsbHistory> usb_history(const ProbeContext& ctx) {
  static std::map<std::string, std::weak_ptr<UsbHistory>> histories;
  auto key = ctx.state_dir.string();
  if (auto h = histories[key].lock()) return h;
  auto h = std::make_shared<UsbHistory>(
      ctx.state_dir.empty() ? std::filesystem::path() : ctx.state_dir / "usb-history.jsonl");
  histories[key] = h;
  return h;
}
}  // namespace

std::vector<std::unique_ptr<CheckModule>> make_check_modules(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<CheckModule>> modules;
  modules.push_back(std::make_unique<HostModule>(ctx));
  modules.push_back(
      std::make_unique<AntivirusModule>(ctx, std::make_unique<LinuxAntivirusProbe>(ctx)));
  modules.push_back(std::make_unique<HygieneModule>(std::make_unique<LinuxHygieneProbe>(ctx)));
  modules.push_back(std::make_unique<PatchModule>(ctx, std::make_unique<DebianPatchProbe>(ctx)));
  modules.push_back(std::make_unique<NetworkModule>(std::make_unique<LinuxNetworkProbe>(ctx)));
  modules.push_back(
      std::make_unique<UsbModule>(ctx, std::make_unique<LinuxUsbProbe>(ctx), usb_history(ctx)));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<NetlinkWatcher>(std::make_unique<LinuxNetworkProbe>(ctx)));
  sources.push_back(
      std::make_unique<UdevWatcher>(std::make_unique<LinuxUsbProbe>(ctx), usb_history(ctx)));
  return sources;
}

}  // namespace warden::agent
