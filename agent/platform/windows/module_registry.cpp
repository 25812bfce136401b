// The Windows module registry: every domain with its Windows probe. A probe that fails makes its
// checks `error` findings with the API's own error text (the sweep runner, or per fact group in
// hygiene), never a pass and never a silent gap. Event sources: network changes (IP Helper's
// change notifications) and USB arrivals/removals (cfgmgr32 device notifications).
#include "agent/module_registry.hpp"

#include <map>
#include <string>

#include "agent/antivirus/antivirus_module.hpp"
#include "agent/antivirus/windows/windows_antivirus_probe.hpp"
#include "agent/host/host_module.hpp"
#include "agent/hygiene/hygiene_module.hpp"
#include "agent/hygiene/windows/windows_hygiene_probe.hpp"
#include "agent/network/network_module.hpp"
#include "agent/network/windows/ip_change_watcher.hpp"
#include "agent/network/windows/windows_network_probe.hpp"
#include "agent/patches/patch_module.hpp"
#include "agent/patches/windows/windows_patch_probe.hpp"
#include "agent/usb/usb_module.hpp"
#include "agent/usb/windows/device_watcher.hpp"
#include "agent/usb/windows/windows_usb_probe.hpp"

namespace warden::agent {

namespace {
// One history per state dir, shared by the sweep's module and the device watcher (as on Linux).
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
      std::make_unique<AntivirusModule>(ctx, std::make_unique<WindowsAntivirusProbe>()));
  modules.push_back(std::make_unique<HygieneModule>(std::make_unique<WindowsHygieneProbe>()));
  modules.push_back(std::make_unique<PatchModule>(ctx, std::make_unique<WindowsPatchProbe>()));
  modules.push_back(std::make_unique<NetworkModule>(std::make_unique<WindowsNetworkProbe>()));
  // The usb module's own history file: arrivals recorded by the device watcher (below) and the
  // previous sweep's time; the system's USBSTOR history is the probe's.
  modules.push_back(
      std::make_unique<UsbModule>(ctx, std::make_unique<WindowsUsbProbe>(), usb_history(ctx)));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::make_unique<IpChangeWatcher>(std::make_unique<WindowsNetworkProbe>()));
  sources.push_back(std::make_unique<DeviceArrivalWatcher>(std::make_unique<WindowsUsbProbe>(),
                                                           usb_history(ctx)));
  return sources;
}

}  // namespace warden::agent
