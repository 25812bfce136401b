// The USB domain: facts under "usb" (an array: present devices, then those seen since the last
// sweep with "present": false), checks usb.unregistered_storage and usb.portable_device.
#pragma once

#include <memory>

#include "agent/check_module.hpp"
#include "agent/usb/usb_history.hpp"
#include "agent/usb/usb_probe.hpp"
#include "common/catalog/check_catalog.hpp"

namespace warden::agent {

class UsbModule : public CheckModule {
 public:
  UsbModule(ProbeContext ctx, std::unique_ptr<UsbProbe> probe, std::shared_ptr<UsbHistory> history)
      : ctx_(std::move(ctx)), probe_(std::move(probe)), history_(std::move(history)) {}
  std::string name() const override { return "usb"; }
  std::vector<std::string> check_ids() const override { return catalog::check_ids("usb", "agent"); }
  ModuleResult run(const AgentPolicy& policy) override;

 private:
  ProbeContext ctx_;
  std::unique_ptr<UsbProbe> probe_;
  std::shared_ptr<UsbHistory> history_;
};

// Block mode: deauthorizes present unregistered storage; returns what it disabled (and logs
// failures into `errors`).
std::vector<UsbDevice> enforce_usb_block(UsbProbe& probe, const std::vector<UsbDevice>& devices,
                                         const AgentPolicy& policy,
                                         std::vector<std::string>& errors);

}  // namespace warden::agent
