#pragma once
// Network changes on Windows as they happen, like the Linux rtnetlink watcher: IP Helper's
// NotifyIpInterfaceChange, NotifyUnicastIpAddressChange and NotifyRouteChange2 (interfaces,
// addresses, routes). Their callbacks run on a system thread and only post to the io thread;
// bursts are coalesced for 200 ms, then the facts are collected again and a "net.changed" event
// carries them with the re-judged net.unauthorized_interface finding.
// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on
#undef interface  // <basetyps.h>: "#define interface struct" clashes with RouteFact::interface

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>

#include "agent/check_module.hpp"
#include "agent/network/network_probe.hpp"

namespace warden::agent {

class IpChangeWatcher : public EventSource {
 public:
  explicit IpChangeWatcher(std::unique_ptr<NetworkProbe> probe);
  ~IpChangeWatcher() override;
  std::string name() const override { return "ip-change"; }
  void start(boost::asio::io_context& io, EventSink sink) override;
  void stop() override;
  void set_policy(const AgentPolicy& policy) override { policy_ = policy; }

 private:
  static void CALLBACK on_interface(PVOID self, PMIB_IPINTERFACE_ROW, MIB_NOTIFICATION_TYPE);
  static void CALLBACK on_address(PVOID self, PMIB_UNICASTIPADDRESS_ROW, MIB_NOTIFICATION_TYPE);
  static void CALLBACK on_route(PVOID self, PMIB_IPFORWARD_ROW2, MIB_NOTIFICATION_TYPE);
  void changed();  // any thread
  void emit();     // io thread

  std::unique_ptr<NetworkProbe> probe_;
  AgentPolicy policy_;
  EventSink sink_;
  boost::asio::io_context* io_ = nullptr;
  std::unique_ptr<boost::asio::steady_timer> coalesce_;
  std::shared_ptr<bool> alive_;  // posted handlers run only while this is alive
  std::atomic<bool> pending_{false};
  HANDLE interface_handle_ = nullptr, address_handle_ = nullptr, route_handle_ = nullptr;
};

}  // namespace warden::agent
