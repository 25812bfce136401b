// wardenctl's text output: column widths by display width (CJK two columns, narrow punctuation
// one), tables that line up in Chinese, durations and dates in the reader's language and zone.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "collector/wardenctl/command.hpp"
#include "collector/wardenctl/output.hpp"
#include "common/i18n/i18n.hpp"

using namespace warden;
using namespace warden::ctl;

namespace {

struct LanguageGuard {
  explicit LanguageGuard(i18n::Language lang) : saved(i18n::language()) {
    i18n::set_language(lang);
  }
  ~LanguageGuard() { i18n::set_language(saved); }
  i18n::Language saved;
};

struct TzGuard {
  explicit TzGuard(const char* tz) {
    if (const char* old = std::getenv("TZ")) saved = old;
    setenv("TZ", tz, 1);
  }
  ~TzGuard() {
    if (saved.empty())
      unsetenv("TZ");
    else
      setenv("TZ", saved.c_str(), 1);
  }
  std::string saved;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The display column where `needle` starts in `line`.
size_t column_of(const std::string& line, const std::string& needle) {
  auto at = line.find(needle);
  REQUIRE(at != std::string::npos);
  return display_width(line.substr(0, at));
}

}  // namespace

TEST_CASE("display width counts East Asian wide characters as two columns", "[wardenctl]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("hostname") == 8);
  CHECK(display_width("主机名") == 6);
  CHECK(display_width("pc-财务-01") == 10);
  CHECK(display_width("３ 天前") == 7);   // fullwidth digit, space, two ideographs
  CHECK(display_width("（全部）") == 8);  // fullwidth parentheses
  CHECK(display_width("，：") == 4);      // fullwidth punctuation
  CHECK(display_width("가나") == 4);      // Hangul syllables
}

TEST_CASE("display width counts narrow three-byte characters as one column", "[wardenctl]") {
  CHECK(display_width("…") == 1);
  CHECK(display_width("—") == 1);
  CHECK(display_width("✓ ok") == 4);
  CHECK(display_width("€") == 1);
  CHECK(display_width("e\xCC\x81") == 1);  // e + combining acute accent
  CHECK(display_width("Ä") == 1);
}

TEST_CASE("display width survives invalid UTF-8", "[wardenctl]") {
  CHECK(display_width("\xff\xfe") == 2);
  CHECK(display_width("ab\xe4\xb8") >= 3);  // a truncated sequence at the end
  CHECK(display_width("\xe4\xb8"
                      "a") >= 2);
  CHECK(display_width("\xed\xa0\x80") >= 1);          // an encoded surrogate
  CHECK(display_width(std::string("a\0b", 3)) == 2);  // a control character takes no column
}

TEST_CASE("a table with Chinese cells lines up by display width, not bytes", "[wardenctl]") {
  Table t({"主机名", "部门", "状态", "说明"});
  t.add({"pc-01", "财务处", "不通过", "病毒库 3 天未更新…"});
  t.add({"财务-笔记本-02", "A", "通过", "—"});
  t.add({"pc-03", "办公室/档案科", "不适用", "ok ✓"});
  auto lines = lines_of(t.render());
  REQUIRE(lines.size() == 4);
  const std::vector<std::vector<std::string>> cells = {{"部门", "状态", "说明"},
                                                       {"财务处", "不通过", "病毒库"},
                                                       {"A", "通过", "—"},
                                                       {"办公室", "不适用", "ok ✓"}};
  std::vector<size_t> expected;
  for (const auto& c : cells[0]) expected.push_back(column_of(lines[0], c));
  // 主机名 column: widest is 财务-笔记本-02 (14 columns) + 2 spaces.
  CHECK(expected[0] == 16);
  for (size_t row = 1; row < lines.size(); ++row)
    for (size_t col = 0; col < cells[row].size(); ++col) {
      INFO("row " << row << " column " << col << ": " << lines[row]);
      CHECK(column_of(lines[row], cells[row][col]) == expected[col]);
    }
  // No trailing spaces.
  for (const auto& l : lines) CHECK((l.empty() || l.back() != ' '));
}

TEST_CASE("how long ago, in English and in Chinese", "[wardenctl]") {
  int64_t now = 1'800'000'000'000;
  {
    LanguageGuard en(i18n::Language::en);
    CHECK(ago(0, now) == "never");
    CHECK(ago(now - 5'000, now) == "5s ago");
    CHECK(ago(now - 3 * 86'400'000, now) == "3d ago");
  }
  {
    LanguageGuard zh(i18n::Language::zh_CN);
    CHECK(ago(0, now) == "从未");
    CHECK(ago(now - 5'000, now) == "5 秒前");
    CHECK(ago(now - 7 * 60'000, now) == "7 分钟前");
    CHECK(ago(now - 3 * 86'400'000, now) == "3 天前");
  }
}

TEST_CASE("a bare date means local midnight, an explicit Z time stays UTC", "[wardenctl]") {
  {
    TzGuard tz("Asia/Shanghai");
    CHECK(date_arg("2026-11-01", "--from") == 1793462400000);  // 2026-10-31T16:00:00Z
    CHECK(date_arg("2026-11-01T08:30:00Z", "--from") == 1793521800000);
  }
  {
    TzGuard tz("UTC");
    CHECK(date_arg("2026-11-01", "--from") == 1793491200000);
  }
  CHECK_THROWS_AS(date_arg("2026-02-30", "--from"), Failure);
  CHECK_THROWS_AS(date_arg("yesterday", "--from"), Failure);
  try {
    date_arg("yesterday", "--from");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()).find("--from 'yesterday' is not a date") != std::string::npos);
  }
  LanguageGuard zh(i18n::Language::zh_CN);
  try {
    date_arg("昨天", "--from");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()) ==
          "--from 的值“昨天”不是日期（YYYY-MM-DD 表示当地零点，或 YYYY-MM-DDTHH:MM:SSZ 表示 UTC "
          "时间）");
  }
}
