#include "collector/database/store.hpp"

#include <map>
#include <stdexcept>

#include "collector/database/department_scope.hpp"
#include "collector/database/store_rows.hpp"
#include "collector/database/token_spend.hpp"
#include "collector/enrollment_token.hpp"
#include "collector/storage/schema.hpp"
#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/json_text.hpp"

namespace warden::collector {

using namespace rows;

Store::Store(const storage::Location& database, const Clock& clock)
    : clock_(clock), db_(storage::connect(database)) {
  storage::migrate(*db_);
  session_db_ = storage::connect(database);
}

domain::CreatedEnrollmentToken Store::create_token(const domain::NewEnrollmentToken& token) {
  if (token.ttl_seconds <= 0 || token.max_uses == 0)
    throw std::invalid_argument("a token needs a positive lifetime and number of uses");
  std::lock_guard lock(mu_);
  auto parts = generate_token();
  domain::CreatedEnrollmentToken out{format_token(parts), {}};
  auto& t = out.token;
  t.id = parts.id;
  t.department = token.department;
  t.created_at_ms = clock_.now_ms();
  t.expires_at_ms = t.created_at_ms + token.ttl_seconds * 1000;
  t.max_uses = token.max_uses;
  t.kind = token.kind;
  db_->prepare(
         "INSERT INTO enrollment_tokens (id, secret_hash, department, created_at, created_by, "
         "expires_at, max_uses, kind) VALUES (?,?,?,?,?,?,?,?)")
      .bind(1, t.id)
      .bind_blob(2, hash_secret(parts.secret))
      .bind(3, t.department)
      .bind(4, t.created_at_ms)
      .bind(5, token.created_by)
      .bind(6, t.expires_at_ms)
      .bind(7, static_cast<int64_t>(t.max_uses))
      .bind(8, std::string(domain::token_kind_name(t.kind)))
      .run();
  return out;
}

std::vector<domain::EnrollmentToken> Store::list_tokens() {
  std::lock_guard lock(mu_);
  std::vector<domain::EnrollmentToken> out;
  auto st = db_->prepare(std::string("SELECT ") + kTokenColumns +
                         " FROM enrollment_tokens ORDER BY created_at");
  while (st.step()) out.push_back(token_from_row(st));
  return out;
}

domain::EnrollmentToken Store::revoke_token(const std::string& id) {
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE enrollment_tokens SET revoked = TRUE WHERE id = ?").bind(1, id).run();
  auto st =
      db_->prepare(std::string("SELECT ") + kTokenColumns + " FROM enrollment_tokens WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) throw Failure(not_found("no token with id " + id));
  return token_from_row(st);
}

EnrolledHost Store::enroll(const std::string& token, const domain::HostDescription& host,
                           const CertificateIssuer& issue) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto spent = spend_token(*db_, token, "agent", clock_.now_ms());
  const std::string& department = spent.department;

  std::string agent_id = generate_agent_id();
  IssuedCertificate cert = issue(agent_id, department);
  int64_t now = clock_.now_ms();
  auto insert_host = db_->prepare(
      "INSERT INTO hosts (agent_id, hostname, department, os_id, os_name, os_version, kernel, "
      "arch, machine_id, agent_version, cert_serial, cert_not_after, token_id, enrolled_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  insert_host.bind(1, agent_id)
      .bind(2, host.hostname)
      .bind(3, department)
      .bind(4, host.os_id)
      .bind(5, host.os_name)
      .bind(6, host.os_version)
      .bind(7, host.kernel)
      .bind(8, host.arch)
      .bind(9, host.machine_id)
      .bind(10, host.agent_version)
      .bind(11, cert.serial_hex)
      .bind(12, cert.not_after_s * 1000)
      .bind(13, spent.id)
      .bind(14, now)
      .step();
  int64_t host_id = insert_host.column_int(0);
  insert_host.reset();
  // A live host already has this name or machine: a cloned disk image, a PC enrolled twice, or
  // someone impersonating it. Enrollment goes ahead (the token was valid), and the admin is told.
  auto same = db_->prepare(
      "SELECT agent_id, hostname, machine_id FROM hosts WHERE revoked = FALSE AND id <> ?1 AND "
      "(hostname = ?2 OR (?3 <> '' AND machine_id = ?3)) ORDER BY id");
  same.bind(1, host_id).bind(2, host.hostname).bind(3, host.machine_id);
  nlohmann::json matches = nlohmann::json::array();
  while (same.step())
    matches.push_back({{"agent_id", same.column_text(0)},
                       {"hostname", same.column_text(1)},
                       {"same_hostname", same.column_text(1) == host.hostname},
                       {"same_machine_id", same.column_text(2) == host.machine_id}});
  same.reset();
  if (!matches.empty()) {
    nlohmann::json data = {
        {"hostname", host.hostname},
        {"machine_id", host.machine_id},
        {"matches", matches},
        {"meaning", "clone or impersonation: check the PCs, revoke the wrong one"}};
    collector_event_on(*db_, host_id, "host.duplicate_identity", data);
    data["agent_id"] = agent_id;
    audit_locked("enrollment", "host.duplicate_identity", data);
  }
  tx.commit();
  return {agent_id, department, cert.pem};
}

std::optional<HostIdentity> Store::find_host(const std::string& agent_id) {
  std::lock_guard lock(session_mu_);
  auto st = session_db_->prepare(std::string("SELECT ") + kIdentityColumns +
                                 " FROM hosts WHERE agent_id = ?");
  st.bind(1, agent_id);
  if (!st.step()) return std::nullopt;
  return identity_from_row(st);
}

std::optional<HostIdentity> Store::resolve_host(const std::string& key) {
  std::lock_guard lock(mu_);
  auto by_id =
      db_->prepare(std::string("SELECT ") + kIdentityColumns + " FROM hosts WHERE agent_id = ?");
  by_id.bind(1, key);
  if (by_id.step()) return identity_from_row(by_id);
  // A hostname is what the PC says it is: two PCs can claim the same one (a clone, an
  // impersonation, a re-enrolled PC). It picks a host only when one live host has it.
  auto by_name = db_->prepare(std::string("SELECT ") + kIdentityColumns +
                              " FROM hosts WHERE hostname = ? ORDER BY revoked, enrolled_at DESC");
  by_name.bind(1, key);
  std::vector<HostIdentity> live, revoked;
  while (by_name.step()) {
    auto h = identity_from_row(by_name);
    (h.revoked ? revoked : live).push_back(std::move(h));
  }
  const auto& candidates = live.empty() ? revoked : live;
  if (candidates.empty()) return std::nullopt;
  if (candidates.size() == 1) return candidates.front();
  std::string list;
  for (const auto& h : candidates)
    list += (list.empty() ? "" : ", ") + h.agent_id + " (" + h.department +
            (h.revoked ? ", revoked" : "") + ")";
  throw Failure(conflict("hostname '" + key + "' names " + std::to_string(candidates.size()) +
                         " hosts: " + list + "; give the agent ID instead"));
}

void Store::record_hello(int64_t host_id, const domain::HostDescription& info,
                         const std::string& peer) {
  std::lock_guard lock(session_mu_);
  int64_t now = clock_.now_ms();
  storage::Transaction tx(*session_db_);
  // The name and machine are what the agent says; a change is worth a look (a renamed PC, or a
  // certificate copied to another machine), so it becomes an event and an audit entry.
  auto old = session_db_->prepare("SELECT agent_id, hostname, machine_id FROM hosts WHERE id = ?");
  old.bind(1, host_id);
  if (old.step()) {
    std::string agent_id = old.column_text(0);
    auto changed = [&](const char* kind, const std::string& before, const std::string& after) {
      if (before.empty() || before == after) return;
      nlohmann::json data = {{"from", before}, {"to", after}};
      collector_event_on(*session_db_, host_id, kind, data);
      data["agent_id"] = agent_id;
      audit_on(*session_db_, "agent " + agent_id, kind, data);
    };
    changed("host.renamed", old.column_text(1), info.hostname);
    changed("host.machine_changed", old.column_text(2), info.machine_id);
  }
  old.reset();
  session_db_
      ->prepare(
          "UPDATE hosts SET hostname = ?, os_id = ?, os_name = ?, os_version = ?, kernel = ?, "
          "arch = ?, machine_id = ?, agent_version = ?, peer_address = ?, last_seen = ?, "
          "first_seen = COALESCE(first_seen, ?) WHERE id = ?")
      .bind(1, info.hostname)
      .bind(2, info.os_id)
      .bind(3, info.os_name)
      .bind(4, info.os_version)
      .bind(5, info.kernel)
      .bind(6, info.arch)
      .bind(7, info.machine_id)
      .bind(8, info.agent_version)
      .bind(9, peer)
      .bind(10, now)
      .bind(11, now)
      .bind(12, host_id)
      .run();
  tx.commit();
}

void Store::collector_event_on(storage::Connection& db, int64_t host_id, const std::string& kind,
                               const nlohmann::json& data) {
  int64_t now = clock_.now_ms();
  db.prepare(
        "INSERT INTO events (host_id, seq, kind, at, received_at, data_json) VALUES "
        "(?1, (SELECT CASE WHEN min(seq) < 0 THEN min(seq) ELSE 0 END - 1 FROM events "
        "WHERE host_id = ?1), ?2, ?3, "
        "?3, ?4)")
      .bind(1, host_id)
      .bind(2, kind)
      .bind(3, now)
      .bind(4, json_text(data))
      .run();
}

void Store::record_seen(int64_t host_id) {
  std::lock_guard lock(session_mu_);
  session_db_->prepare("UPDATE hosts SET last_seen = ? WHERE id = ?")
      .bind(1, clock_.now_ms())
      .bind(2, host_id)
      .run();
}

void Store::set_next_certificate(int64_t host_id, const IssuedCertificate& cert) {
  std::lock_guard lock(session_mu_);
  storage::Transaction tx(*session_db_);
  session_db_
      ->prepare("UPDATE hosts SET next_cert_serial = ?, next_cert_not_after = ? WHERE id = ?")
      .bind(1, cert.serial_hex)
      .bind(2, cert.not_after_s * 1000)
      .bind(3, host_id)
      .run();
  auto st = session_db_->prepare("SELECT agent_id FROM hosts WHERE id = ?");
  st.bind(1, host_id);
  std::string agent_id = st.step() ? st.column_text(0) : "";
  st.reset();
  audit_on(*session_db_, "agent:" + agent_id, "certificate.renewed",
           {{"agent_id", agent_id},
            {"serial", cert.serial_hex},
            {"not_after", format_time_utc(cert.not_after_s * 1000)}});
  tx.commit();
}

void Store::promote_next_certificate(int64_t host_id) {
  std::lock_guard lock(session_mu_);
  session_db_
      ->prepare(
          "UPDATE hosts SET cert_serial = next_cert_serial, cert_not_after = next_cert_not_after, "
          "next_cert_serial = '', next_cert_not_after = 0 WHERE id = ? AND next_cert_serial != ''")
      .bind(1, host_id)
      .run();
}

HostIdentity Store::revoke_host(const std::string& key) {
  auto host = resolve_host(key);
  if (!host) throw Failure(not_found("no host with agent ID or hostname '" + key + "'"));
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE hosts SET revoked = TRUE, revoked_at = ? WHERE id = ?")
      .bind(1, clock_.now_ms())
      .bind(2, host->host_id)
      .run();
  host->revoked = true;
  return *host;
}

domain::HostSummary Store::summary_from_row(storage::Statement& st,
                                            const std::set<std::string>& online) {
  domain::HostSummary h;
  h.agent_id = st.column_text(1);
  h.hostname = st.column_text(2);
  h.department = st.column_text(3);
  h.last_seen_ms = st.column_int(4);
  h.os_name = st.column_text(5);
  h.peer_address = st.column_text(6);
  h.revoked = st.column_int(7) != 0;
  h.enrolled_at_ms = st.column_int(8);
  h.failing = split_commas(st.column_text(9));
  h.owner = st.column_text(10);
  h.classification = st.column_text(11);
  h.online = online.count(h.agent_id) > 0;
  return h;
}

std::vector<domain::HostSummary> Store::list_hosts(const domain::HostFilter& filter,
                                                   const std::set<std::string>& online) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kHostColumns + " FROM hosts h WHERE 1=1";
  if (!filter.failing_check.empty())
    sql +=
        " AND h.id IN (SELECT host_id FROM latest_results WHERE check_id = ?1 AND status = "
        "'fail')";
  if (!filter.department.empty()) sql += " AND " + department_subtree_sql("h.department", 2);
  if (filter.offline_for_seconds > 0)
    sql += " AND h.revoked = FALSE AND coalesce(h.last_seen, h.enrolled_at) <= ?4";
  if (!filter.classification.empty()) sql += " AND h.classification = ?5";
  sql += " ORDER BY h.hostname, h.agent_id";
  auto st = db_->prepare(sql);
  if (!filter.failing_check.empty()) st.bind(1, filter.failing_check);
  if (!filter.department.empty()) st.bind(2, filter.department);
  if (filter.offline_for_seconds > 0)
    st.bind(4, clock_.now_ms() - filter.offline_for_seconds * 1000);
  if (!filter.classification.empty()) st.bind(5, filter.classification);
  std::vector<domain::HostSummary> out;
  while (st.step()) {
    auto h = summary_from_row(st, online);
    if (filter.offline_for_seconds > 0 && h.online) continue;  // connected now: not offline
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<domain::HostDetail> Store::get_host(const std::string& key,
                                                  const std::set<std::string>& online) {
  auto identity = resolve_host(key);
  if (!identity) return std::nullopt;
  std::lock_guard lock(mu_);
  domain::HostDetail out;
  auto st = db_->prepare(
      std::string("SELECT ") + kHostColumns +
      ", h.os_id, h.os_version, h.kernel, h.arch, h.machine_id, h.agent_version, "
      "h.cert_serial, coalesce((SELECT facts_json FROM host_facts WHERE host_id = h.id), '{}') "
      "FROM hosts h WHERE h.id = ?");
  st.bind(1, identity->host_id);
  if (!st.step()) return std::nullopt;
  out.host = summary_from_row(st, online);
  auto& d = out.description;
  d.hostname = out.host.hostname;
  d.os_name = out.host.os_name;
  d.os_id = st.column_text(12);
  d.os_version = st.column_text(13);
  d.kernel = st.column_text(14);
  d.arch = st.column_text(15);
  d.machine_id = st.column_text(16);
  d.agent_version = st.column_text(17);
  out.cert_serial = st.column_text(18);
  out.facts_json = st.column_text(19);
  auto fs = db_->prepare(std::string("SELECT ") + kFindingColumns +
                         " FROM latest_results r JOIN hosts h ON h.id = r.host_id "
                         "WHERE r.host_id = ? ORDER BY r.check_id");
  fs.bind(1, identity->host_id);
  while (fs.step()) out.findings.push_back(stored_finding_from_row(fs, 0));
  return out;
}

domain::FleetStatus Store::status(const std::set<std::string>& online) {
  std::lock_guard lock(mu_);
  domain::FleetStatusTally tally;
  auto st = db_->prepare("SELECT agent_id, revoked, failing_checks <> '', department FROM hosts");
  while (st.step())
    tally.host(st.column_text(3), st.column_int(1) != 0, online.count(st.column_text(0)) > 0,
               st.column_int(2) != 0);
  // Kept by the ingest path and the triggers on hosts (schema migration 4, docs/schema.md).
  auto cs = db_->prepare(
      "SELECT check_id, status, sum(hosts) FROM result_counts GROUP BY 1, 2 HAVING sum(hosts) > 0 "
      "ORDER BY check_id");
  while (cs.step())
    tally.result(cs.column_text(0), parse_status(cs.column_text(1)),
                 static_cast<uint32_t>(cs.column_int(2)));
  return tally.take();
}

std::vector<domain::StoredFinding> Store::list_findings(const domain::FindingFilter& filter) {
  std::lock_guard lock(mu_);
  std::string sql =
      std::string("SELECT ") + kFindingColumns +
      " FROM latest_results r JOIN hosts h ON h.id = r.host_id WHERE h.revoked = FALSE";
  if (!filter.check.empty()) sql += " AND r.check_id = ?1";
  if (filter.status) sql += " AND r.status = ?2";
  sql += " ORDER BY h.hostname, r.check_id";
  auto st = db_->prepare(sql);
  if (!filter.check.empty()) st.bind(1, filter.check);
  if (filter.status) st.bind(2, std::string(to_string(*filter.status)));
  std::vector<domain::StoredFinding> out;
  while (st.step()) out.push_back(stored_finding_from_row(st, 0));
  return out;
}

uint64_t Store::create_sweep(const std::string& requested_by, const std::string& kind,
                             const std::vector<int64_t>& host_ids) {
  return create_sweep(requested_by, kind, "", host_ids, {});
}

uint64_t Store::create_sweep(const std::string& requested_by, const std::string& kind,
                             const std::string& department, const std::vector<int64_t>& online,
                             const std::vector<int64_t>& offline) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto insert_sweep = db_->prepare(
      "INSERT INTO sweeps (requested_at, requested_by, kind, department) VALUES (?,?,?,?) "
      "RETURNING id");
  insert_sweep.bind(1, clock_.now_ms()).bind(2, requested_by).bind(3, kind).bind(4, department);
  insert_sweep.step();
  auto id = static_cast<uint64_t>(insert_sweep.column_int(0));
  insert_sweep.reset();
  auto ins = db_->prepare(
      "INSERT INTO sweep_targets (sweep_id, host_id, online) VALUES (?,?,?) "
      "ON CONFLICT DO NOTHING");
  for (auto h : online) {
    ins.bind(1, id).bind(2, h).bind(3, true);
    ins.run();
  }
  for (auto h : offline) {
    ins.bind(1, id).bind(2, h).bind(3, false);
    ins.run();
  }
  tx.commit();
  return id;
}

std::optional<domain::SweepProgress> Store::get_sweep(uint64_t sweep_id) {
  std::lock_guard lock(mu_);
  auto st =
      db_->prepare("SELECT requested_at, requested_by, kind, department FROM sweeps WHERE id = ?");
  st.bind(1, sweep_id);
  if (!st.step()) return std::nullopt;
  domain::SweepProgress out;
  auto& s = out.sweep;
  s.id = sweep_id;
  s.requested_at_ms = st.column_int(0);
  s.requested_by = st.column_text(1);
  s.kind = st.column_text(2);
  s.department = st.column_text(3);
  auto ts = db_->prepare(
      "SELECT h.hostname, t.answered_at, t.online FROM sweep_targets t JOIN hosts h ON h.id = "
      "t.host_id "
      "WHERE t.sweep_id = ? ORDER BY h.hostname");
  ts.bind(1, sweep_id);
  while (ts.step()) {
    if (!ts.column_int(2)) {
      ++s.deferred;
      if (!ts.column_is_null(1)) ++out.deferred_answered;
      continue;
    }
    ++s.expected;
    if (ts.column_is_null(1)) {
      out.missing.push_back(ts.column_text(0));
    } else {
      ++s.answered;
      out.answered_hosts.push_back(ts.column_text(0));
    }
  }
  auto fs =
      db_->prepare(std::string("SELECT ") + kFindingColumns +
                   " FROM latest_results r JOIN hosts h ON h.id = r.host_id "
                   "WHERE r.sweep_id = ? AND r.status = 'fail' ORDER BY h.hostname, r.check_id");
  fs.bind(1, sweep_id);
  while (fs.step()) out.failures.push_back(stored_finding_from_row(fs, 0));
  return out;
}

}  // namespace warden::collector
