// Turns USB hot-plug into events within a second: a udev monitor read through Boost.Asio. Each
// insertion is recorded in the local history, judged at once (block mode deauthorizes
// unregistered storage), and sent as "usb.attached" with the device's identity; removals as
// "usb.detached".
#pragma once

#include <boost/asio/posix/stream_descriptor.hpp>
#include <map>
#include <memory>

#include "agent/check_module.hpp"
#include "agent/usb/usb_history.hpp"
#include "agent/usb/usb_probe.hpp"

struct udev;
struct udev_monitor;

namespace warden::agent {

class UdevWatcher : public EventSource {
 public:
  UdevWatcher(std::unique_ptr<UsbProbe> probe, std::shared_ptr<UsbHistory> history)
      : probe_(std::move(probe)), history_(std::move(history)) {}
  ~UdevWatcher() override;
  std::string name() const override { return "udev"; }
  void start(boost::asio::io_context& io, EventSink sink) override;
  void stop() override;
  void set_policy(const AgentPolicy& policy) override { policy_ = policy; }

 private:
  void wait();
  void handle();

  std::unique_ptr<UsbProbe> probe_;
  std::shared_ptr<UsbHistory> history_;
  AgentPolicy policy_;
  EventSink sink_;
  udev* udev_ = nullptr;
  udev_monitor* monitor_ = nullptr;
  std::unique_ptr<boost::asio::posix::stream_descriptor> fd_;
  std::map<std::string, UsbDevice> attached_;  // syspath -> identity, for removals
};

}  // namespace warden::agent
