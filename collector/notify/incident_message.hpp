// What a critical incident becomes when it is pushed out (docs/cascade.md, "Incidents go up at
// once"): a JSON document for a webhook and an e-mail (RFC 5322, UTF-8) in Chinese and English,
// naming what the rules ask of an incident report: time, unit, department, host, IP, MAC, owner,
// OS, the check and what was seen. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/storage/domain/incident.hpp"
#include "common/time_zone.hpp"

namespace warden::collector {

struct MailEnvelope {
  std::string from;
  std::vector<std::string> to;
  std::string unit;  // the unit the incident happened in (collector.conf unit_name)
};

std::string incident_webhook_json(const domain::Incident& incident, const std::string& unit,
                                  const TimeZone& zone);

// The whole message, headers and body, with CRLF line ends. Header values are cut at any control
// character, so nothing a host reported can add a header.
std::string incident_mail(const domain::Incident& incident, const MailEnvelope& envelope,
                          const TimeZone& zone, int64_t now_ms);

// "=?UTF-8?B?...?=" (RFC 2047) for a header value that is not ASCII; as it is otherwise.
std::string encode_header_word(const std::string& text);

}  // namespace warden::collector
