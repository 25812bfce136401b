#include <iconv.h>
#include <catch2/catch.hpp>

#include "collector/ledger/ledger_csv.hpp"
#include "tests/support/test_support.hpp"

using namespace warden::collector;

namespace {
const std::string kChinese =
    "计算机名,IP地址,MAC地址,部门,责任人,密级\r\n"
    "cw-pc01,10.1.2.11,AA-BB-CC-00-11-01,财务处,张三,涉密\r\n"
    "cw-pc02,10.1.2.12,aabb.cc00.1102,财务处,李四,普通\r\n";
}  // namespace

TEST_CASE("an English UTF-8 ledger parses and normalises") {
  auto r = parse_ledger_csv(
      "hostname,ip,mac,department,owner,classification\n"
      "PC-01,10.0.0.1,AA:BB:CC:DD:EE:01,Finance,\"Wang, Wei\",classified\n"
      "\n"
      "pc-02,10.0.0.2,aa-bb-cc-dd-ee-02,Finance,Li,\n");
  REQUIRE(r.problems.empty());
  REQUIRE(r.entries.size() == 2);
  CHECK(r.encoding == "UTF-8");
  CHECK(r.entries[0].hostname == "pc-01");
  CHECK(r.entries[0].mac == "aa:bb:cc:dd:ee:01");
  CHECK(r.entries[0].owner == "Wang, Wei");
  CHECK(r.entries[0].classification == "classified");
  CHECK(r.entries[1].classification == "general");
}

TEST_CASE("Chinese headers in UTF-8 with BOM and in GB18030 give the same ledger") {
  auto bom = parse_ledger_csv("\xEF\xBB\xBF" + kChinese);
  auto gb = parse_ledger_csv(warden::test::to_gb18030(kChinese));
  REQUIRE(bom.problems.empty());
  REQUIRE(gb.problems.empty());
  CHECK(bom.encoding == "UTF-8 with BOM");
  CHECK(gb.encoding == "GB18030");
  CHECK(bom.entries == gb.entries);
  REQUIRE(gb.entries.size() == 2);
  CHECK(gb.entries[0].department == "财务处");
  CHECK(gb.entries[0].owner == "张三");
  CHECK(gb.entries[0].classification == "classified");
  CHECK(gb.entries[1].mac == "aa:bb:cc:00:11:02");
}

TEST_CASE("bad rows are reported by line and nothing is imported") {
  auto r = parse_ledger_csv(
      "hostname,ip,mac,department,owner,classification\n"
      "pc-01,10.0.0.1,aa:bb:cc:dd:ee:01,Finance,Li,general\n"
      "pc-02,10.0.0.300,aa:bb:cc:dd:ee:02,Finance,Li,general\n"
      "pc-03,10.0.0.3,not-a-mac,Finance,Li,secret-ish\n"
      "pc-01,10.0.0.4,aa:bb:cc:dd:ee:04,Finance,Li,general\n"
      "pc 05,10.0.0.1,aa:bb:cc:dd:ee:05,Finance,Li,general\n");
  CHECK(r.entries.empty());
  auto has = [&](size_t line, const std::string& text) {
    for (const auto& p : r.problems)
      if (p.line == line && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has(3, "IP address '10.0.0.300'"));
  CHECK(has(4, "MAC address 'not-a-mac'"));
  CHECK(has(4, "classification"));
  CHECK(has(5, "already used on line 2"));
  CHECK(has(6, "not a valid host name"));
}

TEST_CASE("header problems and undecodable files are whole-file errors") {
  CHECK(parse_ledger_csv("").problems.at(0).message == "the file is empty");
  CHECK(parse_ledger_csv("hostname,ip\npc,10.0.0.1\n").problems.at(0).message.find("'mac'") !=
        std::string::npos);
  CHECK(parse_ledger_csv("hostname,ip,mac,colour\n")
            .problems.at(0)
            .message.find("unknown column 'colour'") != std::string::npos);
  auto bad = parse_ledger_csv(std::string("hostname,ip,mac\n\xff\xff\xff", 19));
  REQUIRE_FALSE(bad.problems.empty());
  CHECK(bad.problems[0].line == 0);
}

TEST_CASE("export writes a BOM and round-trips") {
  std::vector<LedgerEntry> entries = {
      {"pc-01", "10.0.0.1", "aa:bb:cc:dd:ee:01", "财务处", "Wang, \"W\"", "classified"}};
  auto csv = format_ledger_csv(entries);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(parse_ledger_csv(csv).entries == entries);
}

TEST_CASE("CSV cells a spreadsheet would run as formulas are neutralised, and read back intact",
          "[security]") {
  CHECK(csv_field("=HYPERLINK(\"http://x\",\"y\")") ==
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_field("+1") == "'+1");
  CHECK(csv_field("-2+3") == "'-2+3");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("\tcmd") == "'\tcmd");
  CHECK(csv_field("\r=1") == "\"'\r=1\"");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a=b") == "a=b");         // only the first character matters
  CHECK(csv_field("'=kept") == "''=kept");  // read back as '=kept
  CHECK(unneutralize_csv_cell("''=kept") == "'=kept");
  CHECK(unneutralize_csv_cell("'plain") == "'plain");
  CHECK(csv_field("") == "");

  LedgerEntry e{"pc-01",    "10.0.0.1",           "aa:bb:cc:dd:ee:01",
                "-Finance", "=cmd|' /C calc'!A0", "general"};
  auto text = format_ledger_csv({e});
  CHECK(text.find(",=cmd") == std::string::npos);
  CHECK(text.find(",-Finance") == std::string::npos);
  auto back = parse_ledger_csv(text);
  REQUIRE(back.problems.empty());
  REQUIRE(back.entries.size() == 1);
  CHECK(back.entries[0] == e);
}
