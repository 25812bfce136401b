#include <catch2/catch.hpp>

#include <fstream>

#include "agent/antivirus/antivirus_checks.hpp"
#include "agent/antivirus/clamd_client.hpp"
#include "agent/antivirus/cvd_header.hpp"
#include "agent/antivirus/dpkg_status.hpp"
#include "common/files.hpp"

using namespace warden;
using namespace warden::agent;

TEST_CASE("CVD/CLD headers parse, with or without the epoch field, and junk is refused") {
  auto h = parse_cvd_header(
      "ClamAV-VDB:22 Nov 2026 07-27 "
      "-0500:27450:2069871:90:0123456789abcdef0123456789abcdef:sig:raynman:1795350420" +
      std::string(400, ' '));
  REQUIRE(h);
  CHECK(h->version == 27450);
  CHECK(h->signatures == 2069871);
  CHECK(h->flevel == 90);
  CHECK(h->build_time == 1795350420);
  CHECK(h->builder == "raynman");
  auto no_epoch = parse_cvd_header("ClamAV-VDB:22 Nov 2026 07-27 -0500:27450:1:90:md5:sig:raynman");
  REQUIRE(no_epoch);
  CHECK(no_epoch->build_time == 1795350420);  // 12:27 UTC
  CHECK_FALSE(parse_cvd_header(""));
  CHECK_FALSE(parse_cvd_header("ClamAV-VDB:garbage"));
  CHECK_FALSE(parse_cvd_header("ClamAV-VDB:22 Nov 2026 07-27 -0500:x:1:90:m:s:b"));
  CHECK_FALSE(parse_cvd_header("NotClamAV:22 Nov 2026 07-27 -0500:1:1:90:m:s:b"));
  CHECK_FALSE(parse_cvd_header(std::string(512, '\xff')));
}

TEST_CASE("dpkg status: only installed packages count") {
  auto p = installed_packages(
      "Package: clamav-daemon\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n"
      "Package: clamav-freshclam\nStatus: deinstall ok config-files\nVersion: 1.4.6\n\n"
      "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n");
  CHECK(p.size() == 2);
  CHECK(p["clamav-daemon"] == "1.4.6+dfsg-0+deb12u1");
  CHECK_FALSE(p.count("clamav-freshclam"));
}

TEST_CASE("clamd.conf values") {
  std::string conf =
      "# comment\nLocalSocket /run/clamav/clamd.ctl\nDatabaseDirectory  "
      "/var/lib/clamav\n#DatabaseDirectory /x\n";
  CHECK(clamd_conf_value(conf, "LocalSocket") == "/run/clamav/clamd.ctl");
  CHECK(clamd_conf_value(conf, "DatabaseDirectory") == "/var/lib/clamav");
  CHECK(clamd_conf_value(conf, "TCPSocket").empty());
}

TEST_CASE("the catalog validates entries and admins' additions replace by id") {
  auto shipped = nlohmann::json::parse(
      files::read(std::string(WARDEN_SOURCE_DIR) + "/deploy/antivirus-catalog.json"));
  auto products = load_catalog(shipped, nlohmann::json());
  REQUIRE(products.size() == 3);
  CHECK(products[0].id == "clamav");
  auto extra =
      nlohmann::json::array({{{"id", "acme"}, {"name", "Acme AV"}, {"processes", {"acmed"}}}});
  CHECK(load_catalog(shipped, extra).size() == 4);
  CHECK_THROWS_WITH(load_catalog(shipped, nlohmann::json::array({{{"id", "x"}, {"name", "X"}}})),
                    Catch::Contains("needs packages, processes or install_paths"));
  CHECK_THROWS_WITH(
      load_catalog(
          shipped,
          nlohmann::json::array(
              {{{"id", "x"}, {"name", "X"}, {"processes", {"x"}}, {"signature_format", "zip"}}})),
      Catch::Contains("signature_format"));
}

TEST_CASE("evaluation: none installed, stopped, not answering, stale, fresh") {
  AntivirusPolicy p;
  int64_t now = 1800000000;
  AntivirusFacts clam;
  clam.product = "clamav";
  clam.name = "ClamAV";
  clam.signature_format = "clamav-cvd";
  auto status = [&](const std::vector<Finding>& f, const std::string& id) {
    for (const auto& x : f)
      if (x.check == id) return x.status;
    FAIL("no " << id);
    return Status::error;
  };
  auto f = evaluate_antivirus({clam}, p, now);
  CHECK(status(f, "av.installed") == Status::fail);
  CHECK(f[0].severity == Severity::critical);
  clam.installed = true;
  f = evaluate_antivirus({clam}, p, now);
  CHECK(status(f, "av.running") == Status::fail);
  CHECK(status(f, "av.signatures_fresh") == Status::fail);
  clam.running = true;
  clam.daemon_answering = false;
  clam.socket = "/run/clamav/clamd.ctl";
  CHECK(evaluate_antivirus({clam}, p, now)[1].summary.find("does not answer") != std::string::npos);
  clam.daemon_answering = true;
  clam.signature_time = now - 9 * 86400;
  f = evaluate_antivirus({clam}, p, now);
  CHECK(status(f, "av.running") == Status::pass);
  CHECK(status(f, "av.signatures_fresh") == Status::fail);
  CHECK(f[2].evidence["age_days"] == 9);
  p.signature_max_age_days = 10;
  CHECK(status(evaluate_antivirus({clam}, p, now), "av.signatures_fresh") == Status::pass);
}
