// The self-check report as a unit files it, printed: a real collector with its unit set in its
// config file, a real agent and a sweep; `wardenctl --lang zh-CN report --format html` with a
// narrative file; the page opened in headless Chromium (Debian's chromium package) and printed to
// PDF; the PDF's text (poppler's pdftotext) must carry the header, the sections and the host, on
// A4 pages (pdfinfo).
#include <catch2/catch.hpp>

#include "common/duration.hpp"
#include "common/time_zone.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;

TEST_CASE("the Chinese self-check report prints to A4 PDF with its header and tables",
          "[report][print]") {
  REQUIRE(std::filesystem::exists("/usr/bin/chromium"));  // deploy/install-deps.sh installs it
  TempDir dir;
  write_file(dir / "collector.conf",
             "time_zone = Asia/Shanghai\n"
             "unit_name = 某某县教育局\n"
             "unit_person = 张三\n"
             "unit_contact = 李四\n"
             "unit_phone = 0571-12345678\n");
  CollectorProcess collector(dir.path(), {"--config", (dir / "collector.conf").string()});
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token("办公室")).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  REQUIRE(collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"})["answered"] == 1);
  const std::string hostname = collector.ctl_json({"host", agent.agent_id()})["hostname"];

  // Today in the unit's zone: the report from today on holds the sweep just run.
  auto sh = TimeZone::named("Asia/Shanghai").value();
  const std::string today = format_civil_date(sh.date_at(now_ms()));
  write_file(dir / "narrative.txt",
             "# 工作开展情况\n本月对全部办公计算机开展了自查。\n\n# "
             "下一步计划\n继续加强移动存储介质管理。\n");
  auto html = dir / "report.html";
  auto r = collector.ctl({"--lang", "zh-CN", "report", "--from", today, "--format", "html",
                          "--narrative", (dir / "narrative.txt").string(), "-o", html.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  auto pdf = dir / "report.pdf";
  auto print = run({"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-pdf-header-footer",
                    "--user-data-dir=" + (dir / "chromium").string(),
                    "--print-to-pdf=" + pdf.string(), "file://" + html.string()},
                   {{"HOME", dir.path().string()}}, std::chrono::seconds(120));
  INFO(print.err);
  REQUIRE(std::filesystem::exists(pdf));
  REQUIRE(std::filesystem::file_size(pdf) > 1000);

  auto info = run({"pdfinfo", pdf.string()});
  INFO(info.out);
  CHECK(info.out.find("(A4)") != std::string::npos);  // @page size: A4
  auto text = run({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"});
  REQUIRE(text.exit_code == 0);
  INFO(text.out);
  for (const char* words :
       {"某某县教育局", "自查报告", "负责人", "张三", "0571-12345678", "检查范围", "检查要求与结果",
        "各部门合规情况", "杀毒软件与操作系统使用情况", "工作开展情况", "继续加强移动存储介质管理",
        "+08:00"})
    CHECK(text.out.find(words) != std::string::npos);
  CHECK(text.out.find(hostname) != std::string::npos);
}
