#include "collector/admin/finding_messages.hpp"

#include "common/finding_proto.hpp"

namespace warden::collector {

v1::StoredFinding to_message(const domain::StoredFinding& finding) {
  v1::StoredFinding out;
  out.set_agent_id(finding.agent_id);
  out.set_hostname(finding.hostname);
  auto* f = out.mutable_finding();
  f->set_check(finding.check);
  f->set_status(to_proto(finding.status));
  f->set_severity(to_proto(finding.severity));
  f->set_summary(finding.summary);
  f->set_evidence_json(finding.evidence_json);
  f->set_summary_key(finding.summary_key);
  out.set_updated_at_ms(finding.updated_at_ms);
  out.set_since_ms(finding.since_ms);
  out.set_sweep_id(finding.sweep_id);
  return out;
}

}  // namespace warden::collector
