#include "collector/admin/audit_messages.hpp"

namespace warden::collector {

v1::AuditEntry to_message(const domain::AuditEntry& entry) {
  v1::AuditEntry out;
  out.set_at_ms(entry.at_ms);
  out.set_actor(entry.actor);
  out.set_action(entry.action);
  out.set_details_json(entry.details_json);
  return out;
}

}  // namespace warden::collector
