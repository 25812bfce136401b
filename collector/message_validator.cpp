#include "collector/message_validator.hpp"

#include "collector/agent_json.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace v = validate;

std::string validate_host_info(const v1::HostInfo& h) {
  for (auto [name, value] : {std::pair{"hostname", &h.hostname()},
                             {"os_id", &h.os_id()},
                             {"os_name", &h.os_name()},
                             {"os_version", &h.os_version()},
                             {"kernel", &h.kernel()},
                             {"arch", &h.arch()},
                             {"machine_id", &h.machine_id()},
                             {"agent_version", &h.agent_version()}}) {
    auto err = v::text(std::string("host.") + name, *value, v::kMaxHostFieldBytes);
    if (!err.empty()) return err;
  }
  if (h.hostname().empty()) return "host.hostname must not be empty";
  return {};
}

std::string validate_finding(const v1::Finding& f) {
  if (auto err = v::identifier("check", f.check()); !err.empty()) return err;
  if (f.status() < v1::STATUS_PASS || f.status() > v1::STATUS_NOT_APPLICABLE)
    return "finding " + f.check() + ": status " + std::to_string(f.status()) + " is not valid";
  if (f.severity() < v1::SEVERITY_INFO || f.severity() > v1::SEVERITY_CRITICAL)
    return "finding " + f.check() + ": severity " + std::to_string(f.severity()) + " is not valid";
  // The field names are prefixed only on error: a valid finding builds no strings.
  if (auto err = v::text("summary", f.summary(), v::kMaxSummaryBytes); !err.empty())
    return "finding " + f.check() + " " + err;
  if (auto err = v::summary_key(f.summary_key()); !err.empty())
    return "finding " + f.check() + " " + err;
  if (auto err = check_agent_json("evidence", f.evidence_json(), v::kMaxEvidenceBytes);
      !err.empty())
    return "finding " + f.check() + " " + err;
  return {};
}

std::string validate_agent_message(const v1::AgentMessage& msg, nlohmann::json* body) {
  switch (msg.body_case()) {
    case v1::AgentMessage::kHello:
      return validate_host_info(msg.hello().host());
    case v1::AgentMessage::kHeartbeat:
      return {};
    case v1::AgentMessage::kReport: {
      if (msg.seq() == 0) return "a report must carry a sequence number";
      const auto& r = msg.report();
      if (static_cast<size_t>(r.findings_size()) > v::kMaxFindingsPerReport)
        return "report has " + std::to_string(r.findings_size()) + " findings; the limit is " +
               std::to_string(v::kMaxFindingsPerReport);
      for (const auto& f : r.findings())
        if (auto err = validate_finding(f); !err.empty()) return err;
      // Of the facts, the collector itself reads what the central checks judge.
      return check_agent_json("report facts", r.facts_json(), v::kMaxFactsBytes, body,
                              {"network", "usb"});
    }
    case v1::AgentMessage::kEvent: {
      if (msg.seq() == 0) return "an event must carry a sequence number";
      const auto& e = msg.event();
      if (auto err = v::identifier("event kind", e.kind()); !err.empty()) return err;
      if (static_cast<size_t>(e.findings_size()) > v::kMaxFindingsPerReport)
        return "event has too many findings";
      for (const auto& f : e.findings())
        if (auto err = validate_finding(f); !err.empty()) return err;
      return check_agent_json("event data", e.data_json(), v::kMaxEventDataBytes, body);
    }
    case v1::AgentMessage::kRenewCertificate: {
      if (msg.seq() != 0) return "a certificate renewal is a control message (seq 0)";
      const auto& csr = msg.renew_certificate().csr_pem();
      if (csr.empty() || csr.size() > kMaxCsrBytes)
        return "certificate request must be 1.." + std::to_string(kMaxCsrBytes) + " bytes";
      return {};
    }
    case v1::AgentMessage::BODY_NOT_SET:
      break;
  }
  return "message has no body";
}

}  // namespace warden::collector
