// Units below this collector between the admin API's messages and the cascade repository's domain
// values.
#pragma once

#include "collector/storage/domain/unit_summary.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::UnitSummary to_message(const domain::UnitSummary& unit);

// The figures a unit's list entry and the report's unit row share (their messages differ).
template <typename UnitMessage>
void set_unit_figures(const domain::UnitSummary& u, UnitMessage* out) {
  out->set_name(u.name);
  out->set_ledger_hosts(u.ledger_hosts);
  out->set_hosts(u.hosts);
  out->set_reporting(u.reporting);
  out->set_online(u.online);
  out->set_failing(u.failing);
  out->set_compliance_rate(u.compliance_rate);
  out->set_last_contact_ms(u.last_contact_ms);
}

}  // namespace warden::collector
