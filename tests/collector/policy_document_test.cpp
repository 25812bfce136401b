#include <catch2/catch.hpp>

#include "collector/policy/policy_document.hpp"

using namespace warden::collector;
using nlohmann::json;

TEST_CASE("department chains go from the root down") {
  CHECK(department_chain("") == std::vector<std::string>{""});
  CHECK(department_chain("A/B/C") == std::vector<std::string>{"", "A", "A/B", "A/B/C"});
}

TEST_CASE("policies inherit down the tree and lower levels override") {
  json root = {{"antivirus", {{"signature_max_age_days", 5}}},
               {"sweep", {{"schedule", "0 9 * * 1-5"}}}};
  json bureau = {{"usb", {{"mode", "block"}}}};
  json office = {{"antivirus", {{"signature_max_age_days", 3}}}, {"remediation_deadline_days", 3}};
  auto e = effective_policy({root, bureau, office});
  CHECK(e.agent.antivirus.signature_max_age_days == 3);
  CHECK(e.agent.usb.mode == "block");
  CHECK(e.sweep.cron == "0 9 * * 1-5");
  CHECK(e.remediation_deadline_days == 3);
  CHECK(e.agent.patches.security_grace_days == 7);  // untouched default
  auto sibling = effective_policy({root, bureau});
  CHECK(sibling.agent.antivirus.signature_max_age_days == 5);
  CHECK(sibling.remediation_deadline_days == 7);
}

TEST_CASE("with no policy set, a sweep runs every working day, spread over an hour") {
  auto e = effective_policy({});
  CHECK(e.sweep.cron == "0 9 * * 1-5");
  CHECK(e.sweep.spread_seconds == 3600);
  // An admin turns it off with an empty schedule.
  CHECK(effective_policy({{{"sweep", {{"schedule", ""}}}}}).sweep.cron.empty());
}

TEST_CASE("policy documents are validated before they are accepted") {
  CHECK_NOTHROW(validate_policy_document({{"usb", {{"mode", "block"}}}}));
  CHECK_THROWS_WITH(validate_policy_document({{"usb", {{"mode", "lock"}}}}),
                    Catch::Contains("usb.mode"));
  CHECK_THROWS_WITH(validate_policy_document({{"sweep", {{"schedule", "every day"}}}}),
                    Catch::Contains("5 fields"));
  CHECK_THROWS_WITH(validate_policy_document({{"antivirus", {{"max_age", 3}}}}),
                    Catch::Contains("antivirus.max_age"));
  CHECK_THROWS_WITH(validate_policy_document({{"remediation_deadline_days", 0}}),
                    Catch::Contains("remediation"));
  CHECK_THROWS(validate_policy_document(json::array()));
}

TEST_CASE("KEY=VALUE assignments become merge patches") {
  CHECK(patch_from_assignment("antivirus.signature_max_age_days=3") ==
        json({{"antivirus", {{"signature_max_age_days", 3}}}}));
  CHECK(patch_from_assignment("usb.mode=block") == json({{"usb", {{"mode", "block"}}}}));
  CHECK(patch_from_assignment(
            "network.egress_targets=[\"10.0.0.1:80\"]")["network"]["egress_targets"][0] ==
        "10.0.0.1:80");
  CHECK_THROWS(patch_from_assignment("novalue"));
  CHECK_THROWS(patch_from_assignment("a..b=1"));
}

TEST_CASE("an assignment whose path starts with a dot is refused (fuzz regression: looped)") {
  CHECK_THROWS_AS(patch_from_assignment(".a=1"), std::invalid_argument);
  CHECK_THROWS_AS(patch_from_assignment("..=1"), std::invalid_argument);
  CHECK(patch_from_assignment("a.b=1") == nlohmann::json::parse(R"({"a":{"b":1}})"));
}
