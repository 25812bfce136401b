#include <catch2/catch.hpp>

#include <set>

#include "collector/enrollment_throttle.hpp"
#include "collector/enrollment_token.hpp"

using namespace warden::collector;

TEST_CASE("tokens are random, well-formed and parse back") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = format_token(generate_token());
    CHECK(seen.insert(t).second);
    auto p = parse_token(t);
    REQUIRE(p);
    CHECK(format_token(*p) == t);
  }
  CHECK_FALSE(parse_token(""));
  CHECK_FALSE(parse_token("abc.def"));
  CHECK_FALSE(parse_token(std::string(16, 'g') + "." + std::string(43, 'A')));
  CHECK_FALSE(parse_token(std::string(16, 'a') + "." + std::string(42, 'A') + "="));
}

TEST_CASE("secrets match only their own hash") {
  auto t = generate_token();
  auto h = hash_secret(t.secret);
  CHECK(secret_matches(t.secret, h));
  CHECK_FALSE(secret_matches(generate_token().secret, h));
  CHECK_FALSE(secret_matches(t.secret, h.substr(1)));
}

TEST_CASE("the throttle refuses an address after repeated failures, others stay free") {
  EnrollmentThrottle throttle(3, std::chrono::seconds(60));
  for (int i = 0; i < 3; ++i) {
    CHECK(throttle.allowed("10.0.0.1"));
    throttle.record_failure("10.0.0.1");
  }
  CHECK_FALSE(throttle.allowed("10.0.0.1"));
  CHECK(throttle.allowed("10.0.0.2"));
}

TEST_CASE("gRPC peer strings become addresses") {
  CHECK(peer_address("ipv4:192.0.2.7:51234") == "192.0.2.7");
  CHECK(peer_address("ipv6:[::1]:51234") == "::1");
  CHECK(peer_address("unix:/run/x") == "unix:/run/x");
}
