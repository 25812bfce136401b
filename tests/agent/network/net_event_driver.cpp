// Test driver: runs the rtnetlink event source for N seconds and prints each event as one JSON
// line. Tests run it inside a network namespace with `ip netns exec`.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>

#include "agent/network/netlink_watcher.hpp"

int main(int argc, char** argv) {
  using namespace warden::agent;
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  boost::asio::io_context io;
  NetlinkWatcher watcher(std::make_unique<LinuxNetworkProbe>(ProbeContext{}));
  watcher.start(io, [](AgentEvent e) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : e.findings) findings.push_back(warden::to_json(f));
    std::cout << nlohmann::json{{"kind", e.kind}, {"data", e.data}, {"findings", findings}}.dump()
              << std::endl;
  });
  std::cout << "{\"ready\":true}" << std::endl;
  boost::asio::steady_timer stop(io, std::chrono::seconds(seconds));
  stop.async_wait([&](const boost::system::error_code&) {
    watcher.stop();
    io.stop();
  });
  io.run();
}
