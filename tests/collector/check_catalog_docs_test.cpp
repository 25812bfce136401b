// Every check Warden documents is in the check catalogue (the report's requirements section), with
// the rule and standard it evidences, and nothing else is.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "common/catalog/check_catalog.hpp"
#include "common/files.hpp"

using namespace warden;

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
  for (const auto& e : catalog::checks()) {
    INFO(e.id);
    CHECK(mapped.insert(e.id).second);  // no check twice
    CHECK_FALSE(e.rule.en.empty());
    CHECK_FALSE(e.rule.zh_CN.empty());
    CHECK(e.standard_clause.rfind("8.1.", 0) == 0);
    CHECK(catalog::find(e.id) == &e);
  }
  CHECK(mapped == documented);
  CHECK(catalog::find("av.something_new") == nullptr);
}
