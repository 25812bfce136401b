// What a pushed incident looks like (collector/notify/incident_message.hpp): the webhook's JSON,
// and an e-mail whose headers nothing a host reported can extend.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "collector/notify/incident_message.hpp"

using namespace warden;
using namespace warden::collector;

namespace {
warden::collector::domain::Incident incident() {
  warden::collector::domain::Incident i;
  i.id = 42;
  i.at_ms = 1796300000000;
  i.agent_id = "a-1";
  i.hostname = "pc-财务-01";
  i.ip = "10.0.0.7";
  i.mac = "aa:bb:cc:dd:ee:ff";
  i.owner = "张三";
  i.department = "财务科";
  i.os = "UOS 20";
  i.check = "av.running";
  i.summary = "the antivirus is not running";
  return i;
}
}  // namespace

TEST_CASE("a pushed incident names what an incident report needs, in local time") {
  auto zone = TimeZone::named("Asia/Shanghai").value();
  auto j = nlohmann::json::parse(incident_webhook_json(incident(), "某某县", zone));
  CHECK(j["id"] == 42);
  CHECK(j["unit"] == "某某县");
  CHECK(j["hostname"] == "pc-财务-01");
  CHECK(j["at"] == "2026-12-03T12:13:20Z");
  CHECK(j["at_local"].get<std::string>().find("20:13") != std::string::npos);
  CHECK_FALSE(j["check_title_zh"].get<std::string>().empty());

  auto mail =
      incident_mail(incident(), {"w@unit.example", {"a@x.example", "b@y.example"}, "某某县"}, zone,
                    1796300000000);
  CHECK(mail.find("From: w@unit.example\r\n") == 0);
  CHECK(mail.find("To: a@x.example, b@y.example\r\n") != std::string::npos);
  CHECK(mail.find("Subject: =?UTF-8?B?") != std::string::npos);
  CHECK(mail.find("Date: Thu, 03 Dec 2026 12:13:20 +0000\r\n") != std::string::npos);
  CHECK(mail.find("\r\n\r\n") < mail.find("责任人：张三"));
  CHECK(mail.find("时间：2026-12-03 20:13") != std::string::npos);
  CHECK(mail.find("IP 地址：10.0.0.7") != std::string::npos);
}

TEST_CASE("nothing a host reported adds a mail header") {
  auto i = incident();
  i.hostname = "pc\r\nBcc: everyone@example.com";
  i.agent_id = "a-1>\r\nX-Injected: yes";
  auto mail = incident_mail(i, {"w@unit.example\r\nBcc: x@y", {"a@x.example"}, "u"},
                            TimeZone::utc(), 1796300000000);
  auto headers = mail.substr(0, mail.find("\r\n\r\n"));
  CHECK(headers.find("Bcc:") == std::string::npos);
  CHECK(headers.find("X-Injected") == std::string::npos);
  CHECK(encode_header_word("plain") == "plain");
  CHECK(encode_header_word("a\r\nb") == "a");
  CHECK(encode_header_word("中") == "=?UTF-8?B?5Lit?=");
}
