// deploy/install-agent.sh against a real collector: enrolls, is harmless when run twice,
// re-enrolls with --force, and says clearly what went wrong.
#include <catch2/catch.hpp>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden::test;

TEST_CASE(
    "install-agent.sh enrolls once, is idempotent, re-enrolls with --force, explains failures") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::string script = std::string(WARDEN_SOURCE_DIR) + "/deploy/install-agent.sh";
  std::map<std::string, std::string> env = {{"WARDEN_AGENT_BIN", binary("warden-agent").string()}};
  auto state = (dir / "agent").string();
  auto install = [&](const std::string& token, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        script, "--collector",      collector.address(),     "--token",
        token,  "--ca-fingerprint", collector.fingerprint(), "--state-dir",
        state,  "--no-start"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run(argv, env);
  };
  auto token = collector.create_token("Finance", "1h", 2);
  auto first = install(token);
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("enrolled as") != std::string::npos);
  auto second = install(token);
  CHECK(second.exit_code == 0);
  CHECK(second.out.find("already enrolled") != std::string::npos);
  CHECK(collector.ctl_json({"token", "list"})[0]["uses"] == 1);  // the second run did not enroll
  auto again = install(token, {"--force"});
  CHECK(again.exit_code == 0);
  CHECK(collector.ctl_json({"hosts"}).size() == 2);  // a reinstalled PC gets a new identity

  auto bad = install("0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {"--force"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("enrollment failed: enrollment refused: the enrollment token is not valid") !=
        std::string::npos);
  auto no_fp = run({script, "--collector", collector.address(), "--token", token}, env);
  CHECK(no_fp.exit_code != 0);
  CHECK(no_fp.err.find("--ca-fingerprint SHA256:... is required") != std::string::npos);

  // The token from a file, as a mass-deployment tool hands it over (never on a command line).
  auto token_file = dir / "token";
  warden::files::write_atomic(token_file, collector.create_token("Finance") + "\n", 0600);
  auto from_file = install("", {"--force", "--token-file", token_file.string()});
  INFO(from_file.out << from_file.err);
  CHECK(from_file.exit_code == 0);
  CHECK(collector.ctl_json({"hosts"}).size() == 3);
  auto missing = install("", {"--force", "--token-file", (dir / "none").string()});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("--token-file " + (dir / "none").string() + " cannot be read") !=
        std::string::npos);
}

TEST_CASE("install-agent.sh --help shows the usage and nothing of the script") {
  std::string script = std::string(WARDEN_SOURCE_DIR) + "/deploy/install-agent.sh";
  auto help = run({script, "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("install-agent.sh --collector HOST:PORT") != std::string::npos);
  CHECK(help.out.find("--token-file") != std::string::npos);
  CHECK(help.out.find("set -") == std::string::npos);
  CHECK(help.out.find("#") == std::string::npos);
  auto missing = run({script, "--collector", "c:1", "--token", "t", "--ca-fingerprint", "SHA256:00",
                      "--package", "no-such-agent.deb"});
  CHECK(missing.exit_code != 0);
}

TEST_CASE("install-agent.sh enrolls through the collector's enrollment listener when it has one") {
  TempDir dir;
  std::string enroll_address = "127.0.0.1:" + std::to_string(free_port());
  CollectorProcess collector(dir.path(), {"--enroll-listen", enroll_address});
  std::string script = std::string(WARDEN_SOURCE_DIR) + "/deploy/install-agent.sh";
  std::map<std::string, std::string> env = {{"WARDEN_AGENT_BIN", binary("warden-agent").string()}};
  auto r = run({script, "--collector", collector.address(), "--enroll-address", enroll_address,
                "--token", collector.create_token("Finance"), "--ca-fingerprint",
                collector.fingerprint(), "--state-dir", (dir / "agent").string(), "--no-start"},
               env);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("enrolled as") != std::string::npos);
  // Sessions go to the agent port, not to the enrollment listener.
  auto enrollment = warden::files::read(dir / "agent" / "enrollment.json");
  CHECK(enrollment.find("\"" + collector.address() + "\"") != std::string::npos);
}
