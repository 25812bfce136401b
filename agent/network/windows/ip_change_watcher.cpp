#include "agent/network/windows/ip_change_watcher.hpp"

#include <boost/asio/post.hpp>

#include <stdexcept>

#include "agent/network/network_checks.hpp"
#include "common/duration.hpp"
#include "common/log.hpp"
#include "common/win32.hpp"

namespace warden::agent {

IpChangeWatcher::IpChangeWatcher(std::unique_ptr<NetworkProbe> probe) : probe_(std::move(probe)) {}

IpChangeWatcher::~IpChangeWatcher() {
  stop();
}

void CALLBACK IpChangeWatcher::on_interface(PVOID self, PMIB_IPINTERFACE_ROW,
                                            MIB_NOTIFICATION_TYPE) {
  static_cast<IpChangeWatcher*>(self)->changed();
}
void CALLBACK IpChangeWatcher::on_address(PVOID self, PMIB_UNICASTIPADDRESS_ROW,
                                          MIB_NOTIFICATION_TYPE) {
  static_cast<IpChangeWatcher*>(self)->changed();
}
void CALLBACK IpChangeWatcher::on_route(PVOID self, PMIB_IPFORWARD_ROW2, MIB_NOTIFICATION_TYPE) {
  static_cast<IpChangeWatcher*>(self)->changed();
}

void IpChangeWatcher::start(boost::asio::io_context& io, EventSink sink) {
  io_ = &io;
  sink_ = std::move(sink);
  alive_ = std::make_shared<bool>(true);
  coalesce_ = std::make_unique<boost::asio::steady_timer>(io);
  // No initial notification: the start-up sweep has just collected the facts.
  if (DWORD rc = NotifyIpInterfaceChange(AF_UNSPEC, on_interface, this, FALSE, &interface_handle_);
      rc != NO_ERROR) {
    stop();
    win32::fail("NotifyIpInterfaceChange", rc);
  }
  if (DWORD rc = NotifyUnicastIpAddressChange(AF_UNSPEC, on_address, this, FALSE, &address_handle_);
      rc != NO_ERROR) {
    stop();
    win32::fail("NotifyUnicastIpAddressChange", rc);
  }
  if (DWORD rc = NotifyRouteChange2(AF_UNSPEC, on_route, this, FALSE, &route_handle_);
      rc != NO_ERROR) {
    stop();
    win32::fail("NotifyRouteChange2", rc);
  }
}

void IpChangeWatcher::changed() {
  if (pending_.exchange(true) || io_ == nullptr) return;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(*io_, [this, alive] {
    if (alive.expired()) return;
    coalesce_->expires_after(std::chrono::milliseconds(200));
    coalesce_->async_wait([this, alive](const boost::system::error_code& ec) {
      if (!ec && !alive.expired()) emit();
    });
  });
}

void IpChangeWatcher::emit() {
  pending_ = false;
  try {
    auto facts = probe_->collect();
    AgentEvent ev;
    ev.kind = "net.changed";
    ev.at_ms = now_ms();
    ev.data = to_json(facts);
    ev.findings.push_back(evaluate_unauthorized_interfaces(facts, policy_.network));
    sink_(std::move(ev));
  } catch (const std::exception& e) {
    LOG_WARN("network", "cannot collect network facts after a change: " << e.what());
  } catch (...) {
    LOG_WARN("network", "cannot collect network facts after a change (unknown failure)");
  }
}

void IpChangeWatcher::stop() {
  // CancelMibChangeNotify2 waits for a callback that is running: none runs after this.
  for (HANDLE* h : {&interface_handle_, &address_handle_, &route_handle_}) {
    if (*h != nullptr) CancelMibChangeNotify2(*h);
    *h = nullptr;
  }
  alive_.reset();
  if (coalesce_) coalesce_->cancel();
}

}  // namespace warden::agent
