// The checks on JSON agents send (evidence, facts, event data), with simdjson underneath.
#include <catch2/catch.hpp>

#include "collector/agent_json.hpp"

using namespace warden::collector;

TEST_CASE("agent JSON must be one object within its size and nesting limits") {
  nlohmann::json out;
  CHECK(check_agent_json("evidence", R"({"age_days":3})", 1024, &out).empty());
  CHECK(out["age_days"] == 3);
  CHECK(check_agent_json("evidence", "", 1024, &out).empty());  // absent counts as {}
  CHECK(out == nlohmann::json::object());
  CHECK(check_agent_json("evidence", "[1,2]", 1024) == "evidence must be a JSON object");
  CHECK(check_agent_json("evidence", "\"text\"", 1024) == "evidence must be a JSON object");
  CHECK(check_agent_json("evidence", "12", 1024) == "evidence must be a JSON object");
  CHECK(check_agent_json("evidence", "{", 1024).rfind("evidence is not valid JSON", 0) == 0);
  CHECK(check_agent_json("evidence", R"({"a":1,})", 1024).rfind("evidence is not valid JSON", 0) ==
        0);
  CHECK_FALSE(check_agent_json("evidence", R"({"a":1} {"b":2})", 1024).empty());  // one value
  CHECK(check_agent_json("evidence", R"({"a":"b"})", 4) == "evidence is 9 bytes; the limit is 4");
  CHECK(check_agent_json("evidence", "{\"a\":\"\xff\"}", 1024) == "evidence is not valid UTF-8");
  CHECK(check_agent_json("evidence", "{\"a\":\"\xed\xa0\x80\"}", 1024) ==
        "evidence is not valid UTF-8");  // a UTF-16 surrogate
  CHECK(check_agent_json("evidence", std::string("{\"a\":\"\0\"}", 9), 1024)
            .rfind("evidence is not valid JSON", 0) == 0);  // raw control character
  CHECK(check_agent_json("evidence", R"({"a":[1,{"b":null}],"c":{"d":true},"e":-1.5e3})", 1024)
            .empty());
  CHECK_FALSE(check_agent_json("evidence", R"({"n":123456789012345678901234567890})", 1024)
                  .empty());  // numbers must fit 64 bits

  // Nesting is bounded, whatever the size limit allows.
  auto nested = [](size_t levels) {
    std::string s = "{";
    for (size_t i = 1; i < levels; ++i) s += "\"k\":{";
    return s + std::string(levels, '}');
  };
  CHECK(check_agent_json("facts", nested(kMaxJsonDepth), 1 << 20, &out).empty());
  CHECK(check_agent_json("facts", nested(kMaxJsonDepth + 1), 1 << 20) ==
        "facts nests deeper than 64 levels");
  CHECK(check_agent_json("facts",
                         "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}",
                         1 << 20) == "facts nests deeper than 64 levels");
}

TEST_CASE("only the members the collector reads are parsed into a document") {
  nlohmann::json out;
  std::string facts =
      R"({"network":{"interfaces":[{"name":"eth0","mac":"52:54:00:00:00:01"}]},)"
      R"("patches":{"upgrades":[{"name":"libssl3"}]},"usb":[{"vendor_id":"0781"}],"x":"\u00e9"})";
  REQUIRE(check_agent_json("report facts", facts, 1 << 20, &out, {"network", "usb", "hygiene"})
              .empty());
  CHECK(out.size() == 2);  // hygiene is absent, patches and x are not wanted
  CHECK(out["network"]["interfaces"][0]["mac"] == "52:54:00:00:00:01");
  CHECK(out["usb"][0]["vendor_id"] == "0781");
  // The whole object when nothing is singled out, with escapes decoded.
  REQUIRE(check_agent_json("event data", facts, 1 << 20, &out).empty());
  CHECK(out["x"] == "\xc3\xa9");
  CHECK(out["patches"]["upgrades"][0]["name"] == "libssl3");
  // A bad document fills nothing in.
  nlohmann::json untouched = {{"keep", 1}};
  CHECK_FALSE(check_agent_json("facts", R"({"network":)", 1024, &untouched, {"network"}).empty());
  CHECK(untouched["keep"] == 1);
}
