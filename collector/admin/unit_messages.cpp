#include "collector/admin/unit_messages.hpp"

namespace warden::collector {

v1::UnitSummary to_message(const domain::UnitSummary& u) {
  v1::UnitSummary out;
  set_unit_figures(u, &out);
  out.set_unit_id(u.unit_id);
  out.set_department(u.department);
  out.set_enrolled_at_ms(u.enrolled_at_ms);
  out.set_pending_sweeps(u.pending_sweeps);
  return out;
}

}  // namespace warden::collector
