#include "collector/admin/incident_messages.hpp"

namespace warden::collector {

v1::Incident to_message(const domain::Incident& i) {
  v1::Incident out;
  out.set_id(i.id);
  out.set_at_ms(i.at_ms);
  out.set_agent_id(i.agent_id);
  out.set_hostname(i.hostname);
  out.set_ip(i.ip);
  out.set_mac(i.mac);
  out.set_owner(i.owner);
  out.set_department(i.department);
  out.set_os(i.os);
  out.set_check(i.check);
  out.set_summary(i.summary);
  out.set_summary_key(i.summary_key);
  out.set_evidence_json(i.evidence_json);
  out.set_status(i.status);
  out.set_unit(i.unit);
  out.set_location(i.location);
  out.set_service(i.service);
  out.set_impact(i.impact);
  out.set_cause(i.cause);
  out.set_handling(i.handling);
  out.set_reporter(i.reporter);
  out.set_reported_at_ms(i.reported_at_ms);
  out.set_updated_by(i.updated_by);
  out.set_updated_at_ms(i.updated_at_ms);
  return out;
}

}  // namespace warden::collector
