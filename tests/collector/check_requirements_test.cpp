// Every check Warden documents is mapped to the rule and standard it evidences in the report.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "collector/report/check_requirements.hpp"
#include "common/files.hpp"

using namespace warden;
using namespace warden::collector;

TEST_CASE("every documented check has a requirement, and only those") {
  // The check IDs of docs/checks.md's table (facts such as net.interfaces are not checks).
  std::string doc = files::read(DOCS_DIR "/checks.md");
  std::set<std::string> documented;
  std::regex id("`((?:av|patch|net|usb|host|auth)\\.[a-z_]+)`");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), id); it != std::sregex_iterator();
       ++it)
    if ((*it)[1] != "net.interfaces") documented.insert((*it)[1]);
  REQUIRE(documented.size() >= 18);

  std::set<std::string> mapped;
  for (const auto& r : check_requirements()) {
    INFO(r.check);
    CHECK(mapped.insert(std::string(r.check)).second);  // no check twice
    CHECK_FALSE(r.rule.empty());
    CHECK(r.standard.rfind("GB/T 22239-2019 ", 0) == 0);
    CHECK(requirement_for(r.check) == &r);
  }
  CHECK(mapped == documented);
  CHECK(requirement_for("av.something_new") == nullptr);
}
