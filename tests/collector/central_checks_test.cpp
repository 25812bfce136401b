#include <catch2/catch.hpp>

#include "collector/central/central_checks.hpp"

using namespace warden;
using namespace warden::collector;
using nlohmann::json;

namespace {
json network(const std::string& mac, const std::string& ip) {
  return {
      {"interfaces",
       {{{"name", "lo"}, {"mac", "00:00:00:00:00:00"}, {"addresses", {{{"address", "127.0.0.1"}}}}},
        {{"name", "eth0"},
         {"mac", mac},
         {"addresses", {{{"address", ip}, {"prefix", 24}}, {{"address", "fe80::1"}}}}}}}};
}
LedgerEntry entry(const std::string& host, const std::string& ip, const std::string& mac) {
  return {host, ip, mac, "Finance", "Li", "general"};
}
}  // namespace

TEST_CASE("facts become addresses without loopback and link-local") {
  auto a = addresses_from_network_facts(network("AA:BB:CC:DD:EE:01", "10.0.0.1"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].ip == "10.0.0.1");
  CHECK(a[0].mac == "aa:bb:cc:dd:ee:01");
  CHECK(addresses_from_network_facts(json::object()).empty());
  CHECK(addresses_from_network_facts({{"interfaces", "junk"}}).empty());
}

TEST_CASE("ip binding: pass, and each failure reason") {
  BindingInput in{"pc-1",
                  addresses_from_network_facts(network("aa:bb:cc:dd:ee:01", "10.0.0.1")),
                  "10.0.0.1",
                  {},
                  {}};
  SECTION("not in the ledger") {
    auto f = evaluate_ip_binding(in);
    CHECK(f.status == Status::fail);
    CHECK(f.summary.find("not in the ledger") != std::string::npos);
  }
  SECTION("matches") {
    in.ledger_for_host = entry("pc-1", "10.0.0.1", "aa:bb:cc:dd:ee:01");
    CHECK(evaluate_ip_binding(in).status == Status::pass);
  }
  SECTION("IP changed") {
    in.ledger_for_host = entry("pc-1", "10.0.0.9", "aa:bb:cc:dd:ee:01");
    CHECK(evaluate_ip_binding(in).summary.find("IP changed") != std::string::npos);
  }
  SECTION("MAC differs") {
    in.ledger_for_host = entry("pc-1", "10.0.0.1", "aa:bb:cc:dd:ee:99");
    CHECK(evaluate_ip_binding(in).summary.find("MAC differs") != std::string::npos);
  }
  SECTION("hostname differs") {
    in.ledger_for_mac = entry("pc-7", "10.0.0.1", "aa:bb:cc:dd:ee:01");
    auto f = evaluate_ip_binding(in);
    CHECK(f.summary.find("hostname differs") != std::string::npos);
    CHECK(f.evidence["ledger"]["hostname"] == "pc-7");
  }
  SECTION("connects from an address it does not report") {
    in.ledger_for_host = entry("pc-1", "10.0.0.1", "aa:bb:cc:dd:ee:01");
    in.peer_address = "10.9.9.9";
    CHECK(evaluate_ip_binding(in).summary.find("connects from 10.9.9.9") != std::string::npos);
  }
}

TEST_CASE("duplicate addresses name the other host") {
  auto mine = addresses_from_network_facts(network("aa:bb:cc:dd:ee:01", "10.0.0.1"));
  CHECK(evaluate_duplicate_address(mine, {}).status == Status::pass);
  auto f = evaluate_duplicate_address(mine, {{"pc-2", "a-2", "10.0.0.1", "aa:bb:cc:dd:ee:02"}});
  CHECK(f.status == Status::fail);
  CHECK(f.summary == "IP 10.0.0.1 is also claimed by pc-2");
  CHECK(f.evidence["clashes"][0]["same"] == "ip");
}

TEST_CASE("usb rules: cross-use both ways, history, unregistered") {
  UsbStorageSighting classified{"0781", "5567", "S1", std::string("classified"), "Li", {}, {}};
  UsbStorageSighting general{"0781", "5567", "S2", std::string("general"), "Li", {}, {}};
  UsbStorageSighting unknown{"abcd", "0001", "", std::nullopt, "", {}, {}};
  CHECK(evaluate_usb_rules("general", {classified})[0].severity == Severity::critical);
  CHECK(evaluate_usb_rules("classified", {general})[0].status == Status::fail);
  CHECK(evaluate_usb_rules("classified", {classified})[0].status == Status::pass);
  auto travelled = general;
  travelled.classes_seen_before = {"classified"};
  CHECK(evaluate_usb_rules("general", {travelled})[0].summary.find("both") != std::string::npos);
  auto r = evaluate_usb_rules("general", {unknown});
  CHECK(r[1].check == "usb.unregistered_storage");
  CHECK(r[1].status == Status::fail);
  CHECK(r[1].evidence["unregistered"][0]["reason"] == "no serial number: cannot be registered");
  CHECK(
      storage_devices_from_facts(
          json::array(
              {{{"vendor_id", "0781"}, {"product_id", "5567"}, {"serial", "x"}, {"storage", true}},
               {{"vendor_id", "046d"}, {"product_id", "c31c"}, {"class", "hid"}}}))
          .size() == 1);
}

TEST_CASE("usb rules: what an isolated network said of a drive in an exchange bundle counts") {
  // Not in this network's registry, registered classified on the other: on a general PC here it
  // is a cross-use (and still unregistered here).
  UsbStorageSighting drive{"0781", "5567", "S1", std::nullopt, "", {}, {}};
  auto alone = evaluate_usb_rules("general", {drive});
  CHECK(alone[0].status == Status::pass);  // nothing says which class it belongs to
  drive.elsewhere = {{"保密网", "classified", {"classified"}}};
  auto r = evaluate_usb_rules("general", {drive});
  CHECK(r[0].check == "usb.cross_use");
  CHECK(r[0].status == Status::fail);
  CHECK(r[0].severity == Severity::critical);
  auto v = r[0].evidence["violations"][0];
  CHECK(v["reason"].get<std::string>().find("保密网") != std::string::npos);
  CHECK(v["elsewhere"][0]["network"] == "保密网");
  CHECK(r[1].status == Status::fail);  // unregistered here all the same
  // On a classified PC here, the same drive is no cross-use.
  CHECK(evaluate_usb_rules("classified", {drive})[0].status == Status::pass);
  // Registered general here and only ever used on general PCs here, but used on classified PCs
  // over there: used on both kinds.
  UsbStorageSighting general{"0781", "5567", "S2", std::string("general"), "Li", {"general"}, {}};
  CHECK(evaluate_usb_rules("general", {general})[0].status == Status::pass);
  general.elsewhere = {{"保密网", "", {"classified"}}};
  auto both = evaluate_usb_rules("general", {general});
  CHECK(both[0].status == Status::fail);
  CHECK(both[0].evidence["violations"][0]["classes_seen"] ==
        json::array({"classified", "general"}));
  // Registered general here, classified there: still a drive for classified PCs.
  UsbStorageSighting mine{"0781", "5567", "S3", std::string("general"), "Li", {}, {}};
  CHECK(evaluate_usb_rules("general", {mine})[0].status == Status::pass);
  mine.elsewhere = {{"保密网", "classified", {}}};
  auto theirs = evaluate_usb_rules("general", {mine});
  CHECK(theirs[0].status == Status::fail);
  CHECK(theirs[0].evidence["violations"][0]["reason"].get<std::string>().find(
            "registered on the network of 保密网") != std::string::npos);
}
