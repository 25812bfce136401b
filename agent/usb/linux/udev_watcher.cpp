#include "agent/usb/udev_watcher.hpp"

#include <libudev.h>
#include <unistd.h>

#include <stdexcept>

#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_module.hpp"
#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::agent {

UdevWatcher::~UdevWatcher() {
  stop();
}

void UdevWatcher::start(boost::asio::io_context& io, EventSink sink) {
  sink_ = std::move(sink);
  udev_ = udev_new();
  if (!udev_) throw std::runtime_error("cannot open libudev");
  monitor_ = udev_monitor_new_from_netlink(udev_, "udev");
  if (!monitor_) throw std::runtime_error("cannot open a udev monitor");
  udev_monitor_filter_add_match_subsystem_devtype(monitor_, "usb", "usb_device");
  if (udev_monitor_enable_receiving(monitor_) < 0)
    throw std::runtime_error("cannot receive udev events");
  fd_ = std::make_unique<boost::asio::posix::stream_descriptor>(
      io, ::dup(udev_monitor_get_fd(monitor_)));
  for (const auto& d : probe_->collect()) attached_[d.syspath] = d;
  wait();
}

void UdevWatcher::wait() {
  fd_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [this](const boost::system::error_code& ec) {
                    if (ec) return;
                    handle();
                    wait();
                  });
}

void UdevWatcher::handle() {
  while (udev_device* dev = udev_monitor_receive_device(monitor_)) {
    std::string action = udev_device_get_action(dev) ? udev_device_get_action(dev) : "";
    const char* sp = udev_device_get_syspath(dev);
    std::string syspath = sp ? sp : "";
    AgentEvent ev;
    ev.at_ms = now_ms();
    try {
      if (action == "add" && attached_.count(syspath)) {
        // A repeated "add" (udevadm trigger, coldplug replay) for a device already known.
      } else if (action == "add") {
        auto d = read_usb_device(dev, "");
        attached_[syspath] = d;
        if (history_) history_->record(d);
        std::vector<std::string> errors;
        auto blocked = enforce_usb_block(*probe_, {d}, policy_, errors);
        ev.kind = "usb.attached";
        ev.data = to_json(d);
        ev.data["deauthorized"] = !blocked.empty();
        if (!errors.empty()) ev.data["block_errors"] = errors;
        for (auto& f : evaluate_usb({d}, policy_, blocked))
          if (f.status == Status::fail) ev.findings.push_back(std::move(f));
      } else if (action == "remove" && attached_.count(syspath)) {
        ev.kind = "usb.detached";
        ev.data = to_json(attached_[syspath]);
        attached_.erase(syspath);
      }
    } catch (const std::exception& e) {
      LOG_WARN("usb", "cannot read " << syspath << ": " << e.what());
    } catch (...) {
      LOG_WARN("usb", "cannot read " << syspath << " (unknown failure)");
    }
    udev_device_unref(dev);
    if (!ev.kind.empty()) sink_(std::move(ev));
  }
}

void UdevWatcher::stop() {
  if (fd_) {
    boost::system::error_code ec;
    fd_->cancel(ec);
    fd_->close(ec);
    fd_.reset();
  }
  if (monitor_) monitor_ = udev_monitor_unref(monitor_);
  if (udev_) udev_ = udev_unref(udev_);
}

}  // namespace warden::agent
