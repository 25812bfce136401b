// What the Windows installer's custom actions and the service compute before any Win32 call
// (issue 15, MSI hardening), tested on Linux: the quoted service ImagePath (an unquoted path with
// a space is the `C:\Program.exe` hijack) and the enrollment action's data and command line (the
// token goes to the child's standard input, never onto its command line). The Win32 side runs
// under wine in tests/windows/agent_msi_test.sh.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "agent/platform/msi_enroll_data.hpp"
#include "agent/platform/service_image_path.hpp"

using namespace warden::agent;

namespace {
const char* kExe = "C:\\Program Files\\Warden\\warden-agent.exe";
}

TEST_CASE("Service ImagePath: an unquoted path with a space is quoted, arguments kept",
          "[windows][install]") {
  auto fixed = quoted_image_path("C:\\Program Files\\Warden\\warden-agent.exe run", kExe);
  REQUIRE(fixed);
  CHECK(*fixed == "\"C:\\Program Files\\Warden\\warden-agent.exe\" run");
  // Case-insensitive like Windows paths (Wine's msi writes the target path as it resolved it).
  fixed = quoted_image_path("c:\\PROGRAM FILES\\warden\\Warden-Agent.EXE run", kExe);
  REQUIRE(fixed);
  CHECK(*fixed == "\"c:\\PROGRAM FILES\\warden\\Warden-Agent.EXE\" run");
  fixed = quoted_image_path(kExe, kExe);  // no arguments
  REQUIRE(fixed);
  CHECK(*fixed == std::string("\"") + kExe + "\"");
}

TEST_CASE("Service ImagePath: quoted, foreign or space-free paths are left alone",
          "[windows][install]") {
  CHECK_FALSE(quoted_image_path("\"C:\\Program Files\\Warden\\warden-agent.exe\" run", kExe));
  // Another executable, or a longer name sharing our prefix: not ours to rewrite.
  CHECK_FALSE(quoted_image_path("C:\\Windows\\system32\\svchost.exe -k netsvcs", kExe));
  CHECK_FALSE(quoted_image_path("C:\\Program Files\\Warden\\warden-agent.exe.bak run", kExe));
  CHECK_FALSE(quoted_image_path("", kExe));
  // Nothing to split on.
  CHECK_FALSE(
      quoted_image_path("C:\\Warden\\warden-agent.exe run", "C:\\Warden\\warden-agent.exe"));
  // Hostile or broken inputs: no exe path, a quote or a control character in it, an oversized
  // value.
  CHECK_FALSE(quoted_image_path("C:\\Program Files\\x.exe run", ""));
  CHECK_FALSE(quoted_image_path("C:\\Pro\"gram Files\\x.exe run", "C:\\Pro\"gram Files\\x.exe"));
  CHECK_FALSE(quoted_image_path("C:\\Program Files\\x\n.exe", "C:\\Program Files\\x\n.exe"));
  CHECK_FALSE(quoted_image_path(std::string(kExe) + std::string(40000, ' '), kExe));
}

TEST_CASE("MSI enrollment data: parsed, and the token only on standard input",
          "[windows][install]") {
  const std::string token = "wt_Zx9-3kP_q8";
  auto d = parse_msi_enroll_data("collector.example:8443|SHA256:ab12cd|" + token + "||" + kExe);
  CHECK(d.collector == "collector.example:8443");
  CHECK(d.ca_fingerprint == "SHA256:ab12cd");
  CHECK(d.token == token);
  CHECK(d.token_file.empty());
  CHECK(d.exe_path == kExe);
  auto cmd = msi_enroll_command_line(d);
  CHECK(cmd ==
        "\"C:\\Program Files\\Warden\\warden-agent.exe\" enroll --collector "
        "\"collector.example:8443\" --ca-fingerprint \"SHA256:ab12cd\" --token-file -");
  CHECK(cmd.find(token) == std::string::npos);
  CHECK(cmd.find("--token ") == std::string::npos);
  // TOKEN_FILE instead (the token on no command line at all); paths may hold ';' and spaces.
  d = parse_msi_enroll_data("h:1|SHA256:00||C:\\Deploy Share\\a;b\\token.txt|D:\\odd;dir\\x.exe");
  CHECK(d.token.empty());
  CHECK(d.token_file == "C:\\Deploy Share\\a;b\\token.txt");
  CHECK(d.exe_path == "D:\\odd;dir\\x.exe");
  CHECK(msi_enroll_command_line(d).find("token.txt") == std::string::npos);
}

TEST_CASE("MSI enrollment data: missing or hostile fields are refused without echoing the token",
          "[windows][install]") {
  const std::string secret = "wt_secret value";  // a space: refused
  try {
    parse_msi_enroll_data("h:1|SHA256:00|" + secret + "||" + kExe);
    FAIL("accepted a token with a space");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("token") != std::string::npos);
    CHECK(std::string(e.what()).find("secret") == std::string::npos);
  }
  CHECK_THROWS_AS(parse_msi_enroll_data(""), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|tok|"), std::invalid_argument);  // 4 fields
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|tok||C:\\a.exe|x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("|SHA256:00|tok||C:\\a.exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1||tok||C:\\a.exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|MD5:00|tok||C:\\a.exe"), std::invalid_argument);
  // Exactly one of TOKEN and TOKEN_FILE.
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|||C:\\a.exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|tok|C:\\t.txt|C:\\a.exe"),
                  std::invalid_argument);
  // Quotes and command-line metacharacters would break out of the quoted arguments.
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1\" --x|SHA256:00|tok||C:\\a.exe"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|to\"k||C:\\a.exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|tok||C:\\a\".exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00||C:\\t\n.txt|C:\\a.exe"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|tok\n||C:\\a.exe"), std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data("h:1|SHA256:00|" + std::string(5000, 'a') + "||C:\\a.exe"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_msi_enroll_data(std::string(90000, '|')), std::invalid_argument);
}

TEST_CASE("MSI token file: BOM and whitespace removed, the same rules as TOKEN",
          "[windows][install]") {
  CHECK(msi_token_from_file("wt_abc\r\n") == "wt_abc");
  CHECK(msi_token_from_file("\xEF\xBB\xBF  wt_abc \n") == "wt_abc");  // Notepad's UTF-8
  CHECK_THROWS_AS(msi_token_from_file(""), std::invalid_argument);
  CHECK_THROWS_AS(msi_token_from_file("\r\n"), std::invalid_argument);
  CHECK_THROWS_AS(msi_token_from_file("wt_a\nwt_b"), std::invalid_argument);  // two lines
  CHECK_THROWS_AS(msi_token_from_file(std::string(9000, 'a')), std::invalid_argument);
  try {
    msi_token_from_file("wt_top secret");
    FAIL("accepted a token with a space");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("secret") == std::string::npos);
  }
}
