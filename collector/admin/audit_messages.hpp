// The audit log between the admin API's messages and the audit repository's domain values.
#pragma once

#include "collector/storage/domain/audit_entry.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::AuditEntry to_message(const domain::AuditEntry& entry);

}  // namespace warden::collector
