#include <catch2/catch.hpp>

#include "common/agent_policy.hpp"

using warden::parse_agent_policy;

TEST_CASE("policy defaults apply to missing keys and round-trip through JSON") {
  auto p = parse_agent_policy(nlohmann::json::object(), true);
  CHECK(p.antivirus.signature_max_age_days == 7);
  CHECK(p.usb.mode == "audit");
  auto again = parse_agent_policy(warden::to_json(p), true);
  CHECK(warden::to_json(again) == warden::to_json(p));
}

TEST_CASE("strict policy parsing names the bad key") {
  using nlohmann::json;
  auto bad = [](const json& j) {
    try {
      parse_agent_policy(j, true);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(bad({{"antivirus", {{"signature_max_age_dayz", 3}}}})
            .find("antivirus.signature_max_age_dayz") != std::string::npos);
  CHECK(bad({{"antivirus", {{"signature_max_age_days", 0}}}}).find("between 1 and 365") !=
        std::string::npos);
  CHECK(bad({{"usb", {{"mode", "lock"}}}}).find("usb.mode") != std::string::npos);
  CHECK(bad({{"usb", {{"allowed_storage", {{{"vendor_id", "XYZ"}, {"product_id", "0001"}}}}}}})
            .find("usb.allowed_storage[0]") != std::string::npos);
  CHECK(bad({{"network", {{"egress_targets", {"no-port"}}}}}).find("host:port") !=
        std::string::npos);
  // A newer collector's extra keys do not break an older agent.
  CHECK_NOTHROW(parse_agent_policy({{"future_feature", true}}, false));
}
