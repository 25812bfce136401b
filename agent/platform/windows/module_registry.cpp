// The Windows module registry. Host, antivirus, patches, network and usb have Windows probes;
// hygiene's is not written yet, so its module fails honestly: every check of the domain becomes an
// `error` finding (probe_failed) naming the probe that is missing, never a pass and never a
// silent gap. Windows has no event sources yet (NotifyIpInterfaceChange, device notifications).
#include <stdexcept>

#include "agent/antivirus/antivirus_module.hpp"
#include "agent/antivirus/windows/windows_antivirus_probe.hpp"
#include "agent/host/host_module.hpp"
#include "agent/module_registry.hpp"
#include "agent/network/network_module.hpp"
#include "agent/network/windows/windows_network_probe.hpp"
#include "agent/patches/patch_module.hpp"
#include "agent/patches/windows/windows_patch_probe.hpp"
#include "agent/usb/usb_module.hpp"
#include "agent/usb/windows/windows_usb_probe.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

namespace {

class MissingProbeModule : public CheckModule {
 public:
  MissingProbeModule(std::string name, std::string missing)
      : name_(std::move(name)), missing_(std::move(missing)) {}
  std::string name() const override { return name_; }
  std::vector<std::string> check_ids() const override { return catalog::check_ids(name_, "agent"); }
  ModuleResult run(const AgentPolicy& /*policy*/) override {
    throw std::runtime_error("no Windows probe for " + name_ + " yet (needs " + missing_ + ")");
  }

 private:
  std::string name_, missing_;
};

}  // namespace

std::vector<std::unique_ptr<CheckModule>> make_check_modules(const ProbeContext& ctx) {
  std::vector<std::unique_ptr<CheckModule>> modules;
  modules.push_back(std::make_unique<HostModule>(ctx));
  modules.push_back(
      std::make_unique<AntivirusModule>(ctx, std::make_unique<WindowsAntivirusProbe>()));
  modules.push_back(std::make_unique<MissingProbeModule>(
      "hygiene", "NetShareEnum, NetUserModalsGet, INetFwPolicy2, screen-saver policy"));
  modules.push_back(std::make_unique<PatchModule>(ctx, std::make_unique<WindowsPatchProbe>()));
  modules.push_back(std::make_unique<NetworkModule>(std::make_unique<WindowsNetworkProbe>()));
  // The usb module's own history file only remembers the previous sweep's time on Windows (there
  // is no hot-plug watcher yet to record into it); the system's USBSTOR history is the probe's.
  modules.push_back(std::make_unique<UsbModule>(
      ctx, std::make_unique<WindowsUsbProbe>(),
      std::make_shared<UsbHistory>(ctx.state_dir.empty() ? std::filesystem::path()
                                                         : ctx.state_dir / "usb-history.jsonl")));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& /*ctx*/) {
  return {};
}

}  // namespace warden::agent
