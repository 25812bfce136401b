// The agent's list of collectors (`enroll --collector A:7443,B:7443`) and the order it fails over
// in: validated like any input from a file (the enrollment state) or a command line.
#include <catch2/catch.hpp>

#include "agent/collector_addresses.hpp"

using namespace warden::agent;

TEST_CASE("a list of collectors is split and every entry validated") {
  CHECK(parse_collector_addresses("c.example:7443") == std::vector<std::string>{"c.example:7443"});
  CHECK(parse_collector_addresses("10.0.0.1:7443,10.0.0.2:7443,[fd00::3]:7443") ==
        std::vector<std::string>{"10.0.0.1:7443", "10.0.0.2:7443", "[fd00::3]:7443"});
  CHECK_THROWS_WITH(parse_collector_addresses(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:1,"), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:1,,b:2"), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse_collector_addresses("host"), Catch::Contains("HOST:PORT"));
  CHECK_THROWS_WITH(parse_collector_addresses(":7443"), Catch::Contains("HOST:PORT"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:0"), Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:65536"), Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:74x3"), Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_collector_addresses("fd00::3:7443"), Catch::Contains("brackets"));
  CHECK_THROWS_WITH(parse_collector_addresses("a :1"), Catch::Contains("space"));
  CHECK_THROWS_WITH(parse_collector_addresses(std::string("a\n:1")), Catch::Contains("control"));
  CHECK_THROWS_WITH(parse_collector_addresses("a:1,a:1"), Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_collector_addresses(std::string(300, 'x') + ":1"),
                    Catch::Contains("255"));
  std::string many;
  for (int i = 0; i < 17; ++i) many += (i ? "," : "") + std::string("h") + std::to_string(i) + ":1";
  CHECK_THROWS_WITH(parse_collector_addresses(many), Catch::Contains("more than 16"));
}

TEST_CASE("fail over to the next collector at once, back off after a whole round") {
  // Three collectors; the agent was on #0 and it failed.
  auto s = next_collector(0, 3, 1);
  CHECK(s.next == 1);
  CHECK_FALSE(s.round_complete);
  s = next_collector(1, 3, 2);
  CHECK(s.next == 2);
  CHECK_FALSE(s.round_complete);
  s = next_collector(2, 3, 3);  // every one tried: wait for the backoff, then start over
  CHECK(s.next == 0);
  CHECK(s.round_complete);
  // One collector: every failure is a whole round, as before lists existed.
  s = next_collector(0, 1, 1);
  CHECK(s.next == 0);
  CHECK(s.round_complete);
}
