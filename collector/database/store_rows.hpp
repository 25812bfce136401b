// Row mapping shared by the Store's implementation files. Private to collector/database.
#pragma once

#include <string>
#include <vector>

#include "collector/database/store.hpp"
#include "common/comma_list.hpp"
#include "common/finding.hpp"

namespace warden::collector::rows {

inline domain::EnrollmentToken token_from_row(storage::Statement& st) {
  domain::EnrollmentToken t;
  t.id = st.column_text(0);
  t.department = st.column_text(1);
  t.created_at_ms = st.column_int(2);
  t.expires_at_ms = st.column_int(3);
  t.max_uses = static_cast<uint32_t>(st.column_int(4));
  t.uses = static_cast<uint32_t>(st.column_int(5));
  t.revoked = st.column_int(6) != 0;
  // The schema allows only these two (a CHECK on both backends).
  t.kind = domain::parse_token_kind(st.column_text(7)).value_or(domain::TokenKind::agent);
  return t;
}

inline constexpr const char* kTokenColumns =
    "id, department, created_at, expires_at, max_uses, uses, revoked, kind";

inline constexpr const char* kHostColumns =
    "h.id, h.agent_id, h.hostname, h.department, h.last_seen, h.os_name, h.peer_address, "
    "h.revoked, h.enrolled_at, h.failing_checks, h.owner, h.classification";

inline HostIdentity identity_from_row(storage::Statement& st) {
  HostIdentity h;
  h.host_id = st.column_int(0);
  h.agent_id = st.column_text(1);
  h.hostname = st.column_text(2);
  h.department = st.column_text(3);
  h.cert_serial = st.column_text(4);
  h.revoked = st.column_int(5) != 0;
  h.last_seq = static_cast<uint64_t>(st.column_int(6));
  h.next_cert_serial = st.column_text(7);
  return h;
}

inline constexpr const char* kIdentityColumns =
    "id, agent_id, hostname, department, cert_serial, revoked, last_seq, next_cert_serial";

// Columns from col: agent_id, hostname, check_id, status, severity, summary, evidence_json,
// updated_at, since, sweep_id, summary_key (kFindingColumns).
inline domain::StoredFinding stored_finding_from_row(storage::Statement& st, int col) {
  domain::StoredFinding f;
  f.agent_id = st.column_text(col);
  f.hostname = st.column_text(col + 1);
  f.check = st.column_text(col + 2);
  f.status = parse_status(st.column_text(col + 3)).value_or(Status::error);
  f.severity = parse_severity(st.column_text(col + 4)).value_or(Severity::info);
  f.summary = st.column_text(col + 5);
  f.evidence_json = st.column_text(col + 6);
  f.updated_at_ms = st.column_int(col + 7);
  f.since_ms = st.column_int(col + 8);
  f.sweep_id = static_cast<uint64_t>(st.column_int(col + 9));
  f.summary_key = st.column_text(col + 10);
  return f;
}

inline constexpr const char* kFindingColumns =
    "h.agent_id, h.hostname, r.check_id, r.status, r.severity, r.summary, r.evidence_json, "
    "r.updated_at, r.since, r.sweep_id, r.summary_key";

}  // namespace warden::collector::rows
