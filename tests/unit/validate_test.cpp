#include <catch2/catch.hpp>

#include "common/validate.hpp"

namespace v = warden::validate;

TEST_CASE("check identifiers follow the documented grammar") {
  CHECK(v::identifier("check", "av.running").empty());
  CHECK(v::identifier("check", "patch.security_updates").empty());
  CHECK_FALSE(v::identifier("check", "").empty());
  CHECK_FALSE(v::identifier("check", "AV.running").empty());
  CHECK_FALSE(v::identifier("check", "av..running").empty());
  CHECK_FALSE(v::identifier("check", "av.running.").empty());
  CHECK_FALSE(v::identifier("check", "av'; DROP TABLE hosts;--").empty());
  CHECK_FALSE(v::identifier("check", std::string(65, 'a')).empty());
}

TEST_CASE("UTF-8 validation rejects malformed and overlong sequences") {
  CHECK(v::is_utf8("plain"));
  CHECK(v::is_utf8("计算机名"));
  CHECK_FALSE(v::is_utf8("\xc3"));          // truncated
  CHECK_FALSE(v::is_utf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(v::is_utf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(v::is_utf8("\xff"));
}

TEST_CASE("text fields are bounded and free of control characters") {
  CHECK(v::text("summary", "ClamAV signatures are 3 days old", 512).empty());
  CHECK_FALSE(v::text("summary", std::string(513, 'x'), 512).empty());
  CHECK_FALSE(v::text("summary", std::string("a\0b", 3), 512).empty());
  CHECK_FALSE(v::text("summary", "line\nbreak", 512).empty());
  CHECK_FALSE(v::text("hostname", "", 64, false).empty());
}

TEST_CASE("JSON fields must be objects within their limit") {
  nlohmann::json out;
  CHECK(v::json_object("evidence", R"({"age_days":3})", 1024, &out).empty());
  CHECK(out["age_days"] == 3);
  CHECK_FALSE(v::json_object("evidence", "[1,2]", 1024).empty());
  CHECK_FALSE(v::json_object("evidence", "{", 1024).empty());
  CHECK_FALSE(v::json_object("evidence", R"({"a":"b"})", 4).empty());
  CHECK_FALSE(v::json_object("evidence", "{\"a\":\"\xff\"}", 1024).empty());
  CHECK(v::json_object("evidence", "\"text\"", 1024) == "evidence must be a JSON object");
  CHECK(v::json_object("evidence", "12", 1024) == "evidence must be a JSON object");
  CHECK_FALSE(v::json_object("evidence", R"({"a":1} {"b":2})", 1024).empty());  // one value only
  CHECK(v::json_object("evidence", R"({"a":[1,{"b":null}],"c":{"d":true}})", 1024).empty());
  // Nesting is bounded, whatever the size limit allows.
  auto nested = [](size_t levels) {
    std::string s = "{";
    for (size_t i = 1; i < levels; ++i) s += "\"k\":{";
    return s + std::string(levels, '}');
  };
  CHECK(v::json_object("facts", nested(v::kMaxJsonDepth), 1 << 20, &out).empty());
  CHECK(v::json_object("facts", nested(v::kMaxJsonDepth + 1), 1 << 20) ==
        "facts nests deeper than 64 levels");
  CHECK_FALSE(v::json_object("facts",
                             "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}",
                             1 << 20)
                  .empty());
}

TEST_CASE("department names are tree paths") {
  CHECK(v::department("Finance").empty());
  CHECK(v::department("Bureau/Finance/Office 2").empty());
  CHECK(v::department("财务处").empty());
  CHECK_FALSE(v::department("").empty());
  CHECK_FALSE(v::department("/Finance").empty());
  CHECK_FALSE(v::department("A//B").empty());
}
