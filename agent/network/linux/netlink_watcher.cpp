#include "agent/network/netlink_watcher.hpp"

#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <unistd.h>

#include <stdexcept>

#include "agent/network/network_checks.hpp"
#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::agent {

NetlinkWatcher::NetlinkWatcher(std::unique_ptr<NetworkProbe> probe) : probe_(std::move(probe)) {}

NetlinkWatcher::~NetlinkWatcher() {
  stop();
}

void NetlinkWatcher::start(boost::asio::io_context& io, EventSink sink) {
  sink_ = std::move(sink);
  sock_ = nl_socket_alloc();
  if (!sock_) throw std::runtime_error("cannot allocate a netlink socket");
  nl_socket_disable_seq_check(sock_);
  // Notifications only say "something changed": the facts are collected afresh after the burst.
  nl_socket_modify_cb(
      sock_, NL_CB_VALID, NL_CB_CUSTOM, [](nl_msg*, void*) -> int { return NL_OK; }, nullptr);
  if (int err = nl_connect(sock_, NETLINK_ROUTE); err < 0)
    throw std::runtime_error(std::string("cannot open rtnetlink: ") + nl_geterror(err));
  nl_socket_add_memberships(sock_, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                            RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, 0);
  nl_socket_set_nonblocking(sock_);
  fd_ = std::make_unique<boost::asio::posix::stream_descriptor>(io, ::dup(nl_socket_get_fd(sock_)));
  coalesce_ = std::make_unique<boost::asio::steady_timer>(io);
  wait();
}

void NetlinkWatcher::wait() {
  fd_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [this](const boost::system::error_code& ec) {
                    if (ec) return;  // stopped
                    while (nl_recvmsgs_default(sock_) > 0) {
                    }
                    if (!pending_) {
                      pending_ = true;
                      coalesce_->expires_after(std::chrono::milliseconds(200));
                      coalesce_->async_wait([this](const boost::system::error_code& e) {
                        if (!e) emit();
                      });
                    }
                    wait();
                  });
}

void NetlinkWatcher::emit() {
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

void NetlinkWatcher::stop() {
  if (fd_) {
    boost::system::error_code ec;
    fd_->cancel(ec);
    fd_->close(ec);
    fd_.reset();
  }
  if (coalesce_) coalesce_->cancel();
  if (sock_) {
    nl_socket_free(sock_);
    sock_ = nullptr;
  }
}

}  // namespace warden::agent
