#pragma once
// USB hot-plug on Windows: CM_Register_Notification for the USB device interface class
// (GUID_DEVINTERFACE_USB_DEVICE), arrivals and removals. The callback runs on a system thread and
// only posts to the io thread; after 500 ms of quiet (SetupAPI lists a device once it is set up)
// the present devices are collected again and compared (agent/usb/usb_arrivals.hpp): the same
// "usb.attached"/"usb.detached" events, history and block mode as the Linux udev watcher.
// cfgmgr32's CM_Register_Notification (Windows 8 and later) is looked up at run time: a system
// without it (Windows 7, Wine 8) makes this source unavailable with that reason, not the agent.
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>

#include "agent/check_module.hpp"
#include "agent/usb/usb_history.hpp"
#include "agent/usb/usb_probe.hpp"

namespace warden::agent {

class DeviceArrivalWatcher : public EventSource {
 public:
  DeviceArrivalWatcher(std::unique_ptr<UsbProbe> probe, std::shared_ptr<UsbHistory> history)
      : probe_(std::move(probe)), history_(std::move(history)) {}
  ~DeviceArrivalWatcher() override;
  std::string name() const override { return "usb-arrival"; }
  void start(boost::asio::io_context& io, EventSink sink) override;
  void stop() override;
  void set_policy(const AgentPolicy& policy) override { policy_ = policy; }
  void changed();  // any thread (the notification callback)

 private:
  void emit();  // io thread

  std::unique_ptr<UsbProbe> probe_;
  std::shared_ptr<UsbHistory> history_;
  AgentPolicy policy_;
  EventSink sink_;
  boost::asio::io_context* io_ = nullptr;
  std::unique_ptr<boost::asio::steady_timer> coalesce_;
  std::shared_ptr<bool> alive_;
  std::atomic<bool> pending_{false};
  std::map<std::string, UsbDevice> known_;  // syspath (instance ID) -> device
  void* registration_ = nullptr;            // HCMNOTIFICATION
  void* unregister_ = nullptr;              // CM_Unregister_Notification
};

}  // namespace warden::agent
