// A network namespace of its own, reached from the test's over a veth pair (10.231.N.1 here,
// 10.231.N.2 there), for tests that cut a link: cut() takes it down (packets vanish, no reset:
// what a failed switch or a firewall does) and restore() brings it back. Removed when destroyed.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

namespace warden::test {

class VethNamespace {
 public:
  // `tag`: a few letters naming the test's interfaces; `subnet`: N in 10.231.N.0/30.
  VethNamespace(const std::string& tag, int subnet)
      : ns_(tag + std::to_string(getpid())),
        here_if_(tag + "h" + std::to_string(getpid())),
        subnet_(std::to_string(subnet)) {
    const std::string there_if = tag + "n" + std::to_string(getpid());
    sh({"ip", "netns", "add", ns_});
    sh({"ip", "link", "add", here_if_, "type", "veth", "peer", "name", there_if});
    sh({"ip", "link", "set", there_if, "netns", ns_});
    sh({"ip", "addr", "add", here() + "/30", "dev", here_if_});
    sh({"ip", "link", "set", here_if_, "up"});
    sh({"ip", "netns", "exec", ns_, "ip", "addr", "add", there() + "/30", "dev", there_if});
    sh({"ip", "netns", "exec", ns_, "ip", "link", "set", there_if, "up"});
    sh({"ip", "netns", "exec", ns_, "ip", "link", "set", "lo", "up"});
  }
  ~VethNamespace() {
    run({"ip", "link", "del", here_if_});
    run({"ip", "netns", "del", ns_});
  }
  VethNamespace(const VethNamespace&) = delete;
  VethNamespace& operator=(const VethNamespace&) = delete;

  const std::string& name() const { return ns_; }
  std::string here() const { return "10.231." + subnet_ + ".1"; }
  std::string there() const { return "10.231." + subnet_ + ".2"; }
  // Runs a program inside the namespace.
  std::vector<std::string> launcher() const { return {"ip", "netns", "exec", ns_}; }
  void cut() { sh({"ip", "link", "set", here_if_, "down"}); }
  void restore() { sh({"ip", "link", "set", here_if_, "up"}); }

 private:
  static void sh(const std::vector<std::string>& argv) {
    auto r = run(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::string ns_, here_if_, subnet_;
};

}  // namespace warden::test
