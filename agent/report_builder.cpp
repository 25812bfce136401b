#include "agent/report_builder.hpp"

#include "common/duration.hpp"
#include "common/finding_proto.hpp"
#include "common/json_text.hpp"

namespace warden::agent {

v1::AgentMessage build_report(const SweepResult& result, uint64_t sweep_id,
                              uint64_t policy_version) {
  v1::AgentMessage msg;
  msg.set_sent_at_ms(now_ms());
  auto* r = msg.mutable_report();
  r->set_sweep_id(sweep_id);
  r->set_started_at_ms(result.started_at_ms);
  r->set_finished_at_ms(result.finished_at_ms);
  r->set_policy_version(policy_version);
  r->set_facts_json(json_text(result.facts));
  for (const auto& f : result.findings) to_proto(f, r->add_findings());
  return msg;
}

v1::AgentMessage build_event(const AgentEvent& event) {
  v1::AgentMessage msg;
  msg.set_sent_at_ms(now_ms());
  auto* e = msg.mutable_event();
  e->set_kind(event.kind);
  e->set_at_ms(event.at_ms ? event.at_ms : now_ms());
  e->set_data_json(json_text(event.data));
  for (const auto& f : event.findings) to_proto(f, e->add_findings());
  return msg;
}

nlohmann::json check_output(const SweepResult& result) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : result.findings) findings.push_back(to_json(f));
  nlohmann::json facts = result.facts;
  nlohmann::json host = facts.contains("host") ? facts["host"] : nlohmann::json::object();
  return {{"host", host},
          {"facts", facts},
          {"findings", findings},
          {"started_at", format_time_utc(result.started_at_ms)},
          {"finished_at", format_time_utc(result.finished_at_ms)}};
}

}  // namespace warden::agent
