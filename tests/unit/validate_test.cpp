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

TEST_CASE("department names are tree paths") {
  CHECK(v::department("Finance").empty());
  CHECK(v::department("Bureau/Finance/Office 2").empty());
  CHECK(v::department("财务处").empty());
  CHECK_FALSE(v::department("").empty());
  CHECK_FALSE(v::department("/Finance").empty());
  CHECK_FALSE(v::department("A//B").empty());
}
