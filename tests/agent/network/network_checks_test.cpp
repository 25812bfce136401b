#include <catch2/catch.hpp>

#include "agent/network/network_checks.hpp"

using namespace warden;
using namespace warden::agent;

namespace {
NetworkFacts wired() {
  NetworkFacts f;
  f.interfaces.push_back({"lo", 1, "00:00:00:00:00:00", "loopback", "", "", true, {}});
  f.interfaces.push_back(
      {"eth0", 2, "52:54:00:12:34:56", "ethernet", "e1000e", "", true, {{"inet", "10.0.0.5", 24}}});
  f.default_routes.push_back({"eth0", "10.0.0.1", "inet", 0});
  return f;
}
}  // namespace

TEST_CASE("a wired PC with one default route passes") {
  CHECK(evaluate_unauthorized_interfaces(wired(), NetworkPolicy{}).status == Status::pass);
}

TEST_CASE("wireless, tethering, PPP and a second default route each fail, naming the interface") {
  NetworkPolicy p;
  auto f = wired();
  SECTION("wireless") {
    f.interfaces.push_back(
        {"wlp2s0", 3, "aa:bb:cc:dd:ee:ff", "wireless", "iwlwifi", "wlan", false, {}});
    auto r = evaluate_unauthorized_interfaces(f, p);
    CHECK(r.status == Status::fail);
    CHECK(r.summary.find("wireless interface wlp2s0") != std::string::npos);
    p.allow_wireless = true;
    CHECK(evaluate_unauthorized_interfaces(f, p).status == Status::pass);
  }
  SECTION("rndis tethering") {
    f.interfaces.push_back(
        {"usb0", 3, "aa:bb:cc:dd:ee:01", "usb_network", "rndis_host", "", true, {}});
    auto r = evaluate_unauthorized_interfaces(f, p);
    CHECK(r.summary.find("USB network adapter usb0 (rndis_host)") != std::string::npos);
    CHECK(r.severity == Severity::high);
  }
  SECTION("ppp") {
    f.interfaces.push_back({"ppp0", 3, "", "ppp", "", "", true, {}});
    CHECK(evaluate_unauthorized_interfaces(f, p).summary.find("dial-up link ppp0") !=
          std::string::npos);
  }
  SECTION("second default route") {
    f.default_routes.push_back({"eth1", "192.168.8.1", "inet", 100});
    auto r = evaluate_unauthorized_interfaces(f, p);
    CHECK(r.summary.find("2 default routes") != std::string::npos);
    CHECK(r.evidence["found"][0]["default_routes"].size() == 2);
  }
}

TEST_CASE("egress: not applicable, error without targets, fail when reachable, pass otherwise") {
  NetworkPolicy p;
  CHECK(evaluate_egress(std::nullopt, p).status == Status::not_applicable);
  p.intranet_only = true;
  CHECK(evaluate_egress(std::nullopt, p).status == Status::error);
  p.egress_targets = {"192.0.2.10:443"};
  CHECK(evaluate_egress(std::vector<EgressAttempt>{{"192.0.2.10:443", true, "connected"}}, p)
            .severity == Severity::critical);
  CHECK(evaluate_egress(std::vector<EgressAttempt>{{"192.0.2.10:443", false, "timed out"}}, p)
            .status == Status::pass);
}

TEST_CASE("resolv.conf nameservers in order, once each") {
  CHECK(
      parse_resolv_conf(
          "# c\nnameserver 10.0.0.53\nsearch corp\nnameserver 10.0.0.54\nnameserver 10.0.0.53\n") ==
      std::vector<std::string>{"10.0.0.53", "10.0.0.54"});
}
