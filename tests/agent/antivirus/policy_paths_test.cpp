// Policy cannot turn the agent into a file reader for root: the paths of antivirus entries added
// through policy, against a real filesystem tree (a temporary root) with real modes and symlinks.
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "agent/antivirus/antivirus_catalog.hpp"
#include "agent/antivirus/antivirus_checks.hpp"
#include "agent/antivirus/policy_paths.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void put(const fs::path& p, const std::string& text, mode_t mode) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  REQUIRE(chmod(p.c_str(), mode) == 0);
}

}  // namespace

TEST_CASE("policy paths: absolute, normalised, under the documented prefixes", "[security]") {
  CHECK(policy_path_refusal("/etc/acme/acme.conf", kPolicyPathPrefixes).empty());
  CHECK(policy_path_refusal("/opt/acme", kPolicyPathPrefixes).empty());
  CHECK(policy_path_refusal("etc/acme.conf", kPolicyPathPrefixes).find("absolute") !=
        std::string::npos);
  CHECK(policy_path_refusal("/etc/../root/.ssh/id_rsa", kPolicyPathPrefixes).find("normalised") !=
        std::string::npos);
  CHECK(policy_path_refusal("/etc//shadow", kPolicyPathPrefixes).find("normalised") !=
        std::string::npos);
  CHECK(policy_path_refusal("/root/secret", kPolicyPathPrefixes).find("outside") !=
        std::string::npos);
  CHECK(policy_path_refusal("/home/li/.bashrc", kPolicyPathPrefixes).find("outside") !=
        std::string::npos);
  CHECK_FALSE(policy_path_refusal("/etc/", kPolicyPathPrefixes).empty());  // a prefix alone
  CHECK_FALSE(policy_path_refusal("/etcetera/x", kPolicyPathPrefixes).empty());
  CHECK(policy_path_refusal("/run/acme/acme.sock", kPolicySocketPrefixes).empty());
  CHECK_FALSE(policy_path_refusal("/var/lib/docker.sock", kPolicySocketPrefixes).empty());
}

TEST_CASE("policy files: only regular files every user could read, through real directories",
          "[security]") {
  test::TempDir root;
  put(root / "etc/acme/acme.conf", "DatabaseDirectory /var/lib/acme\n", 0644);
  put(root / "etc/shadow", "root:$6$secret:19000::::::\n", 0640);
  put(root / "etc/private/acme.conf", "x\n", 0644);
  REQUIRE(chmod((root / "etc/private").c_str(), 0700) == 0);
  fs::create_symlink(root / "etc/shadow", root / "etc/acme/link.conf");
  fs::create_directories(root / "opt");
  fs::create_symlink(root / "etc", root / "opt/acme");
  put(root / "etc/acme/big.conf", std::string((1 << 20) + 1, 'x'), 0644);
  REQUIRE(mkfifo((root / "etc/acme/fifo").c_str(), 0644) == 0);

  auto ok = read_policy_file(root.path(), "/etc/acme/acme.conf");
  REQUIRE(ok.text);
  CHECK(ok.text->find("DatabaseDirectory") == 0);
  CHECK(ok.refusal.empty());

  auto refused = [&](const std::string& path) {
    auto r = read_policy_file(root.path(), path);
    CHECK_FALSE(r.text);
    return r.refusal;
  };
  CHECK(refused("/etc/shadow").find("not readable by every user") != std::string::npos);
  CHECK(refused("/etc/acme/link.conf").find("following a link") != std::string::npos);
  CHECK(refused("/opt/acme/shadow").find("not a plain directory") != std::string::npos);
  CHECK(refused("/etc/private/acme.conf").find("closed to other users") != std::string::npos);
  CHECK(refused("/etc/acme/big.conf").find("larger than 1 MiB") != std::string::npos);
  CHECK(refused("/etc/acme/fifo").find("not a regular file") != std::string::npos);
  CHECK(refused("/root/x").find("outside") != std::string::npos);
  auto missing = read_policy_file(root.path(), "/etc/acme/none.conf");
  CHECK_FALSE(missing.text);
  CHECK(missing.refusal.empty());  // absent is not refused: the product is simply not there
}

TEST_CASE("policy entries that point where they may not are refused by name, the rest used",
          "[security]") {
  std::vector<AntivirusProduct> products;
  auto extra =
      json::array({{{"id", "acme"},
                    {"name", "Acme"},
                    {"processes", {"acmed"}},
                    {"config_file", "/etc/acme/acme.conf"}},
                   {{"id", "thief"},
                    {"name", "Thief"},
                    {"processes", {"x"}},
                    {"config_file", "/root/.ssh/id_rsa"}},
                   {{"id", "dots"}, {"name", "Dots"}, {"install_paths", {"/opt/../home/li"}}},
                   {{"id", "broken"}}});
  auto refused = merge_policy_products(products, extra);
  REQUIRE(products.size() == 1);
  CHECK(products[0].id == "acme");
  CHECK(products[0].from_policy);
  REQUIRE(refused.size() == 3);
  CHECK(refused[0].find("antivirus.extra_products[1] (thief): config_file /root/.ssh/id_rsa") == 0);
  CHECK(refused[1].find("antivirus.extra_products[2] (dots): install_paths") == 0);
  CHECK(refused[2].find("antivirus.extra_products[3]") == 0);

  // Through the probe: a policy entry whose config file is private is not read, and says so.
  test::TempDir root;
  put(root / "etc/acme/acme.conf", "DatabaseDirectory /var/lib/acme\n", 0600);
  ProbeContext ctx;
  ctx.root = root.path();
  LinuxAntivirusProbe probe(ctx);
  auto facts = probe.collect(products);
  REQUIRE(facts.size() == 1);
  REQUIRE(facts[0].refused.size() == 1);
  CHECK(facts[0].refused[0].find("not readable by every user") != std::string::npos);
  CHECK(facts[0].database_dir.empty());

  AntivirusPolicy policy;
  policy.extra_products = extra;
  auto f = evaluate_policy_entries(policy, refused, facts);
  CHECK(f.check == "av.policy_entries");
  CHECK(f.status == Status::error);
  CHECK(f.summary.find("thief") != std::string::npos);
  CHECK(f.evidence["refused"].size() == 4);
  CHECK(evaluate_policy_entries(AntivirusPolicy{}, {}, {}).status == Status::not_applicable);
}
