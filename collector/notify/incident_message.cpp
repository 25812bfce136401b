#include "collector/notify/incident_message.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/json_text.hpp"

namespace warden::collector {

namespace {

// One line: everything from the first control character on is dropped.
std::string one_line(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7f) return s.substr(0, i);
  return s;
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : one_line(s);
}

std::string rfc5322_date(int64_t ms) {
  char buf[64];
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string encode_header_word(const std::string& text) {
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) return one_line(text);
  std::string line = one_line(text);
  std::string out((line.size() + 2) / 3 * 4 + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(line.data()),
                          static_cast<int>(line.size()));
  out.resize(static_cast<size_t>(n));
  return "=?UTF-8?B?" + out + "?=";
}

std::string incident_webhook_json(const domain::Incident& i, const std::string& unit,
                                  const TimeZone& zone) {
  nlohmann::json j = {{"event", "warden.incident"},
                      {"id", i.id},
                      {"severity", "critical"},
                      {"at", format_time_utc(i.at_ms)},
                      {"at_local", zone.format(i.at_ms)},
                      {"unit", unit},
                      {"department", i.department},
                      {"hostname", i.hostname},
                      {"agent_id", i.agent_id},
                      {"ip", i.ip},
                      {"mac", i.mac},
                      {"owner", i.owner},
                      {"os", i.os},
                      {"check", i.check},
                      {"check_title", catalog::title(i.check, i18n::Language::en)},
                      {"check_title_zh", catalog::title(i.check, i18n::Language::zh_CN)},
                      {"summary", i.summary}};
  return json_text(j);
}

std::string incident_mail(const domain::Incident& i, const MailEnvelope& envelope,
                          const TimeZone& zone, int64_t now_ms) {
  const std::string title_zh = catalog::title(i.check, i18n::Language::zh_CN);
  const std::string title_en = catalog::title(i.check, i18n::Language::en);
  std::string to;
  for (const auto& r : envelope.to) to += (to.empty() ? "" : ", ") + one_line(r);
  std::string m;
  m += "From: " + one_line(envelope.from) + "\r\n";
  m += "To: " + to + "\r\n";
  m += "Subject: " +
       encode_header_word("【Warden 紧急事件】" +
                          (envelope.unit.empty() ? "" : envelope.unit + " ") + i.hostname + " " +
                          title_zh) +
       "\r\n";
  m += "Date: " + rfc5322_date(now_ms) + "\r\n";
  m += "Message-ID: <warden-incident-" + std::to_string(i.id) + "-" + std::to_string(i.at_ms) +
       "@" + one_line(i.agent_id) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "\r\n";
  const std::string when = zone.format(i.at_ms);
  auto line = [&](const std::string& label, const std::string& value) {
    m += label + value + "\r\n";
  };
  m += "紧急安全事件（自动报告）\r\n\r\n";
  line("时间：", when);
  line("单位：", or_dash(envelope.unit));
  line("部门：", or_dash(i.department));
  line("计算机：", or_dash(i.hostname) + "（" + or_dash(i.agent_id) + "）");
  line("IP 地址：", or_dash(i.ip));
  line("MAC 地址：", or_dash(i.mac));
  line("责任人：", or_dash(i.owner));
  line("操作系统：", or_dash(i.os));
  line("检查项：", title_zh + "（" + one_line(i.check) + "）");
  line("情况：", or_dash(i.summary));
  line("事件编号：", std::to_string(i.id));
  m += "\r\n请按规定处置，并用 wardenctl incidents set 补全影响、原因、处置和报告人。\r\n";
  m += "\r\n-- \r\nCritical incident (reported automatically)\r\n\r\n";
  line("Time: ", when);
  line("Unit: ", or_dash(envelope.unit));
  line("Host: ", or_dash(i.hostname) + " (" + or_dash(i.ip) + ", " + or_dash(i.mac) + ")");
  line("Owner: ", or_dash(i.owner));
  line("OS: ", or_dash(i.os));
  line("Check: ", title_en + " (" + one_line(i.check) + ")");
  line("Seen: ", or_dash(i.summary));
  return m;
}

}  // namespace warden::collector
