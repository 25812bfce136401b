#include "collector/admin/unit_messages.hpp"

namespace warden::collector {

v1::UnitSummary to_message(const domain::UnitSummary& u) {
  v1::UnitSummary out;
  out.set_name(u.name);
  out.set_unit_id(u.unit_id);
  out.set_department(u.department);
  out.set_ledger_hosts(u.ledger_hosts);
  out.set_hosts(u.hosts);
  out.set_reporting(u.reporting);
  out.set_online(u.online);
  out.set_failing(u.failing);
  out.set_compliance_rate(u.compliance_rate);
  out.set_last_contact_ms(u.last_contact_ms);
  out.set_enrolled_at_ms(u.enrolled_at_ms);
  out.set_pending_sweeps(u.pending_sweeps);
  return out;
}

}  // namespace warden::collector
