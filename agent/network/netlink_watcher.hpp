// Pushes network changes as they happen: an rtnetlink socket subscribed to link, address and
// route notifications, read through Boost.Asio (no polling). Bursts are coalesced for 200 ms,
// then the facts are collected again and a "net.changed" event carries them with the re-judged
// net.unauthorized_interface finding.
#pragma once

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "agent/check_module.hpp"
#include "agent/network/network_probe.hpp"

struct nl_sock;

namespace warden::agent {

class NetlinkWatcher : public EventSource {
 public:
  explicit NetlinkWatcher(std::unique_ptr<NetworkProbe> probe);
  ~NetlinkWatcher() override;
  std::string name() const override { return "rtnetlink"; }
  void start(boost::asio::io_context& io, EventSink sink) override;
  void stop() override;
  void set_policy(const AgentPolicy& policy) override { policy_ = policy; }

 private:
  void wait();
  void emit();

  std::unique_ptr<NetworkProbe> probe_;
  AgentPolicy policy_;
  EventSink sink_;
  nl_sock* sock_ = nullptr;
  std::unique_ptr<boost::asio::posix::stream_descriptor> fd_;
  std::unique_ptr<boost::asio::steady_timer> coalesce_;
  bool pending_ = false;
};

}  // namespace warden::agent
