#include "collector/admin/remediation_messages.hpp"

namespace warden::collector {

v1::RemediationItem to_message(const domain::RemediationItem& item, const TimeZone& zone) {
  v1::RemediationItem out;
  out.set_id(item.id);
  out.set_agent_id(item.agent_id);
  out.set_hostname(item.hostname);
  out.set_department(item.department);
  out.set_owner(item.owner);
  out.set_check(item.check);
  out.set_measure(item.measure);
  out.set_person(item.person);
  out.set_deadline_ms(item.deadline_ms);
  // The deadline is the instant the day after the deadline date begins: its last instant is on
  // the deadline date.
  out.set_deadline_date(format_civil_date(zone.date_at(item.deadline_ms - 1)));
  out.set_status(item.status);
  out.set_note(item.note);
  out.set_created_at_ms(item.created_at_ms);
  out.set_updated_at_ms(item.updated_at_ms);
  out.set_closed_at_ms(item.closed_at_ms);
  out.set_created_by(item.created_by);
  out.set_closed_by(item.closed_by);
  out.set_overdue(item.overdue);
  out.set_result(item.result);
  return out;
}

domain::RemediationFilter remediation_filter_from(const v1::ListRemediationRequest& request) {
  return {request.overdue(), request.department(), request.include_closed()};
}

}  // namespace warden::collector
