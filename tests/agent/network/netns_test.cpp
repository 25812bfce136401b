// The network probe and the rtnetlink event source inside real network namespaces with veth
// pairs, known addresses and MACs. Nothing outside the test's own namespaces is contacted.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/files.hpp"
#include "tests/support/test_support.hpp"

using namespace warden::test;
using nlohmann::json;

namespace {

// A namespace "pc" with veth0 (in it) <-> veth0p (in "gw"), removed however the test ends.
class Namespaces {
 public:
  Namespaces()
      : pc("wdn" + std::to_string(getpid()) + "pc"), gw("wdn" + std::to_string(getpid()) + "gw") {
    sh("ip netns add " + pc);
    sh("ip netns add " + gw);
    sh("ip link add veth0 netns " + pc +
       " address 02:00:00:00:00:0a type veth peer name veth0p netns " + gw);
    in_pc("ip link set lo up");
    in_pc("ip link set veth0 up");
    in_pc("ip addr add 10.77.0.10/24 dev veth0");
    in_pc("ip -6 addr add fd77::10/64 dev veth0 nodad");
    in_pc("ip route add default via 10.77.0.1");
    sh("ip netns exec " + gw + " ip link set veth0p up");
    sh("ip netns exec " + gw + " ip addr add 10.77.0.1/24 dev veth0p");
    sh("ip netns exec " + gw + " ip link set lo up");
  }
  ~Namespaces() {
    run({"ip", "netns", "del", pc});
    run({"ip", "netns", "del", gw});
  }
  void sh(const std::string& cmd) {
    auto r = run({"sh", "-c", cmd});
    INFO(cmd << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  }
  void in_pc(const std::string& cmd) { sh("ip netns exec " + pc + " " + cmd); }
  json check() {
    auto r = run({"ip", "netns", "exec", pc, binary("warden-agent").string(), "check", "--json",
                  "--state-dir", "/nonexistent"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
  std::string pc, gw;
};

json iface(const json& facts, const std::string& name) {
  for (const auto& i : facts["network"]["interfaces"])
    if (i["name"] == name) return i;
  return json();
}
json finding(const json& out, const std::string& check) {
  for (const auto& f : out["findings"])
    if (f["check"] == check) return f;
  return json();
}
bool has_address(const json& i, const std::string& a, int prefix) {
  for (const auto& x : i["addresses"])
    if (x["address"] == a && x["prefix"] == prefix) return true;
  return false;
}

}  // namespace

TEST_CASE("facts inside a namespace: names, MACs, addresses, prefixes, kinds, routes", "[netns]") {
  Namespaces ns;
  auto out = ns.check();
  auto v = iface(out["facts"], "veth0");
  CHECK(v["mac"] == "02:00:00:00:00:0a");
  CHECK(v["kind"] == "virtual");
  CHECK(v["up"] == true);
  CHECK(has_address(v, "10.77.0.10", 24));
  CHECK(has_address(v, "fd77::10", 64));
  CHECK(iface(out["facts"], "lo")["kind"] == "loopback");
  CHECK(out["facts"]["network"]["interfaces"].size() == 2);  // nothing of the host leaks in
  REQUIRE(out["facts"]["network"]["default_routes"].size() == 1);
  CHECK(out["facts"]["network"]["default_routes"][0]["gateway"] == "10.77.0.1");
  CHECK(finding(out, "net.unauthorized_interface")["status"] == "pass");

  // Change the address and the MAC; add a second exit with its own default route.
  ns.in_pc("ip addr del 10.77.0.10/24 dev veth0");
  ns.in_pc("ip addr add 10.77.0.20/24 dev veth0");
  ns.in_pc("ip route add default via 10.77.0.1");  // the old one left with its subnet
  ns.in_pc("ip link set veth0 address 02:00:00:00:00:0b");
  ns.sh("ip link add veth1 netns " + ns.pc + " type veth peer name veth1p netns " + ns.gw);
  ns.in_pc("ip link set veth1 up");
  ns.in_pc("ip addr add 10.88.0.10/24 dev veth1");
  ns.in_pc("ip route add default via 10.88.0.1 metric 50");
  out = ns.check();
  v = iface(out["facts"], "veth0");
  CHECK(v["mac"] == "02:00:00:00:00:0b");
  CHECK(has_address(v, "10.77.0.20", 24));
  CHECK_FALSE(has_address(v, "10.77.0.10", 24));
  CHECK(out["facts"]["network"]["default_routes"].size() == 2);
  auto f = finding(out, "net.unauthorized_interface");
  CHECK(f["status"] == "fail");
  CHECK(f["summary"].get<std::string>().find("2 default routes") != std::string::npos);
}

TEST_CASE("address changes become events as they happen", "[netns]") {
  Namespaces ns;
  TempDir dir;
  Process watcher({"ip", "netns", "exec", ns.pc, NET_EVENT_DRIVER, "20"}, dir / "events.jsonl");
  auto lines = [&] {
    std::vector<json> out;
    std::istringstream in(warden::files::read_if_exists(dir / "events.jsonl").value_or(""));
    std::string l;
    while (std::getline(in, l)) {
      auto j = json::parse(l, nullptr, false);
      if (!j.is_discarded()) out.push_back(j);
    }
    return out;
  };
  REQUIRE(wait_for([&] { return !lines().empty(); }));  // ready
  ns.in_pc("ip addr add 10.77.0.99/24 dev veth0");
  auto saw = [&](const std::function<bool(const json&)>& pred) {
    return wait_for(
        [&] {
          for (const auto& e : lines())
            if (e.contains("kind") && pred(e)) return true;
          return false;
        },
        std::chrono::seconds(5));
  };
  CHECK(saw([](const json& e) {
    return e["kind"] == "net.changed" &&
           has_address(
               iface(e["data"].is_object() ? json{{"network", e["data"]}} : json(), "veth0"),
               "10.77.0.99", 24);
  }));
  ns.sh("ip link add veth2 netns " + ns.pc + " type veth peer name veth2p netns " + ns.gw);
  ns.in_pc("ip link set veth2 up");
  ns.in_pc("ip addr add 10.99.0.10/24 dev veth2");
  ns.in_pc("ip route add default via 10.99.0.1 metric 10");
  CHECK(saw([](const json& e) {
    return e["findings"].size() == 1 && e["findings"][0]["status"] == "fail" &&
           e["data"]["default_routes"].size() == 2;
  }));
  watcher.stop();
}

TEST_CASE("egress probe: a reachable target fails an intranet-only PC, a closed one passes",
          "[netns]") {
  Namespaces ns;
  TempDir dir;
  // A listener in the "gateway" namespace stands in for the outside world.
  Process listener(
      {"ip", "netns", "exec", ns.gw, "python3", "-c",
       "import "
       "socket,time\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
       "s.bind(('10.77.0.1',8443));s.listen(8)\nprint('up',flush=True)\n"
       "while True:\n  c,_=s.accept();c.close()"},
      dir / "listener.log");
  REQUIRE(wait_for([&] { return listener.log().find("up") != std::string::npos; }));
  std::ofstream(dir / "policy.json")
      << R"({"network":{"intranet_only":true,"egress_timeout_ms":500,"egress_targets":["10.77.0.1:8443"]}})";
  auto check = [&] {
    auto r = run({"ip", "netns", "exec", ns.pc, binary("warden-agent").string(), "check", "--json",
                  "--state-dir", dir.path().string()});
    REQUIRE(r.exit_code == 0);
    return finding(json::parse(r.out), "net.internet_egress");
  };
  auto f = check();
  CHECK(f["status"] == "fail");
  CHECK(f["severity"] == "critical");
  std::ofstream(dir / "policy.json")
      << R"({"network":{"intranet_only":true,"egress_timeout_ms":500,"egress_targets":["10.77.0.1:8444"]}})";
  CHECK(check()["status"] == "pass");
}
