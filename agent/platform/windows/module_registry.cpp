// The Windows module registry. Host and network have Windows probes; the other domains' Windows
// probes are not written yet, so their modules fail honestly: every check of the domain becomes an
// `error` finding (probe_failed) naming the probe that is missing, never a pass and never a
// silent gap. Windows has no event sources yet (NotifyIpInterfaceChange, device notifications).
#include <stdexcept>

#include "agent/host/host_module.hpp"
#include "agent/module_registry.hpp"
#include "agent/network/network_module.hpp"
#include "agent/network/windows/windows_network_probe.hpp"
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
  modules.push_back(std::make_unique<MissingProbeModule>(
      "antivirus", "Windows Security Center IWSCProductList, MSFT_MpComputerStatus"));
  modules.push_back(std::make_unique<MissingProbeModule>(
      "hygiene", "NetShareEnum, NetUserModalsGet, INetFwPolicy2, screen-saver policy"));
  modules.push_back(
      std::make_unique<MissingProbeModule>("patches", "Windows Update Agent IUpdateSearcher"));
  modules.push_back(std::make_unique<NetworkModule>(std::make_unique<WindowsNetworkProbe>()));
  modules.push_back(std::make_unique<MissingProbeModule>(
      "usb", "SetupAPI present devices, USBSTOR registry history"));
  return modules;
}

std::vector<std::unique_ptr<EventSource>> make_event_sources(const ProbeContext& /*ctx*/) {
  return {};
}

}  // namespace warden::agent
