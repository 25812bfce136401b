// Critical incidents pushed as they happen (issue 14): a real collector sends each to a local
// HTTPS webhook and by e-mail to a local SMTP server that requires STARTTLS (Debian's
// python3-aiosmtpd; tests/integration/notify_sinks.py), both with certificates of a throwaway CA
// the collector is told to trust. Faults: the receivers down, then back (nothing lost); a mail
// server without STARTTLS (nothing sent in the clear).
#include <signal.h>

#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
using nlohmann::json;

namespace {

struct Sinks {
  std::filesystem::path out;
  int smtp_port, http_port;
  bool tls;
  std::unique_ptr<Process> process;
  void start() {
    std::filesystem::remove(out / "ready");
    std::vector<std::string> argv = {"/usr/bin/python3", SINKS_SCRIPT,  "--out",
                                     out.string(),       "--smtp-port", std::to_string(smtp_port)};
    if (http_port) argv.insert(argv.end(), {"--http-port", std::to_string(http_port)});
    if (!tls) argv.push_back("--no-tls");
    process =
        std::make_unique<Process>(argv, out.parent_path() / (out.filename().string() + ".log"));
    REQUIRE(
        wait_for([&] { return std::filesystem::exists(out / "ready"); }, std::chrono::seconds(20)));
  }
  void stop() { process->stop(SIGKILL); }
  int count(const std::string& prefix, const std::string& ext) const {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(out))
      if (e.path().filename().string().rfind(prefix, 0) == 0 && e.path().extension() == ext) ++n;
    return n;
  }
};

std::string base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    auto pos = chars.find(c);
    if (pos == std::string::npos) break;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::filesystem::path config(const std::filesystem::path& dir, const Sinks& sinks, bool webhook) {
  auto conf = dir / "collector.conf";
  std::string text =
      "unit_name = 某某县教育局\n"
      "notify_smtp = smtp://127.0.0.1:" +
      std::to_string(sinks.smtp_port) +
      "\n"
      "notify_mail_from = warden@unit.example\n"
      "notify_mail_to = duty@unit.example, security@city.example\n"
      "notify_ca_file = " +
      (sinks.out / "ca.pem").string() + "\n";
  if (webhook)
    text += "notify_webhook = https://127.0.0.1:" + std::to_string(sinks.http_port) + "/hook\n";
  write_file(conf, text);
  return conf;
}

}  // namespace

TEST_CASE(
    "a critical incident reaches the webhook and the mailbox, and a receiver down loses nothing",
    "[notify]") {
  TempDir dir;
  Sinks sinks{dir / "sinks", free_port(), free_port(), true, nullptr};
  std::filesystem::create_directories(sinks.out);
  sinks.start();
  CollectorProcess collector(dir / "c", {"--config", config(dir.path(), sinks, true).string()});
  AgentProcess speaker(dir / "speaker", collector);
  REQUIRE(speaker.enroll(collector.create_token("Office")).exit_code == 0);

  // Two incidents (a fail after a pass each time), and a non-critical failure that is none.
  speaker.speak(
      {critical_av_report(1, true), critical_av_report(2, false), critical_av_report(3, true)});
  INFO(collector.log());
  REQUIRE(wait_for(
      [&] { return sinks.count("mail-", ".eml") == 2 && sinks.count("hook-", ".json") == 2; },
      std::chrono::seconds(30)));

  auto hook = json::parse(files::read(sinks.out / "hook-1.json"));
  CHECK(hook["event"] == "warden.incident");
  CHECK(hook["check"] == "av.running");
  CHECK(hook["hostname"] == "pc-test");
  CHECK(hook["unit"] == "某某县教育局");
  CHECK(hook["department"] == "Office");
  CHECK(hook["severity"] == "critical");
  auto hook2 = json::parse(files::read(sinks.out / "hook-2.json"));
  CHECK(hook2["id"] != hook["id"]);

  auto mail = files::read(sinks.out / "mail-1.eml");
  auto rcpt = files::read(sinks.out / "mail-1.rcpt");
  CHECK(rcpt.find("duty@unit.example") != std::string::npos);
  CHECK(rcpt.find("security@city.example") != std::string::npos);
  auto subject_at = mail.find("Subject: =?UTF-8?B?");
  REQUIRE(subject_at != std::string::npos);
  auto encoded = mail.substr(subject_at + 19, mail.find("?=", subject_at) - subject_at - 19);
  auto subject = base64_decode(encoded);
  CHECK(subject.find("紧急事件") != std::string::npos);
  CHECK(subject.find("pc-test") != std::string::npos);
  CHECK(subject.find("某某县教育局") != std::string::npos);
  CHECK(mail.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
  CHECK(mail.find("计算机：pc-test") != std::string::npos);
  CHECK(mail.find("the antivirus is not running") != std::string::npos);

  // Both receivers down while an incident happens: it goes once they are back.
  sinks.stop();
  speaker.speak({critical_av_report(4, false), critical_av_report(5, true)});
  std::this_thread::sleep_for(std::chrono::seconds(4));
  sinks.start();
  REQUIRE(wait_for(
      [&] { return sinks.count("mail-", ".eml") >= 3 && sinks.count("hook-", ".json") >= 3; },
      std::chrono::seconds(60)));
  CHECK(collector.log().find("not sent yet") != std::string::npos);

  // A restart sends nothing again (the cursor is in the database).
  collector.stop();
  collector.start();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  CHECK(sinks.count("mail-", ".eml") == 3);
  CHECK(sinks.count("hook-", ".json") == 3);
}

// [any-backend]: what the notifier refuses to send to; the incident's way out of the database is
// covered on both backends by the test above.
TEST_CASE("no incident goes to a mail server that does not offer STARTTLS",
          "[any-backend][notify][security]") {
  TempDir dir;
  Sinks plain{dir / "plain", free_port(), 0, false, nullptr};
  std::filesystem::create_directories(plain.out);
  plain.start();
  CollectorProcess collector(dir / "c", {"--config", config(dir.path(), plain, false).string()});
  AgentProcess speaker(dir / "speaker", collector);
  REQUIRE(speaker.enroll(collector.create_token("Office")).exit_code == 0);
  speaker.speak({critical_av_report(1, true)});
  REQUIRE(wait_for([&] { return collector.log().find("not sent yet") != std::string::npos; },
                   std::chrono::seconds(20)));
  CHECK(plain.count("mail-", ".eml") == 0);
}
