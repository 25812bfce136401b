#include "collector/cascade/cascade_store.hpp"

#include <functional>
#include <map>
#include <set>

#include "collector/database/token_spend.hpp"
#include "collector/enrollment_token.hpp"
#include "collector/storage/schema.hpp"
#include "common/comma_list.hpp"
#include "common/error.hpp"

namespace warden::collector {

namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kSweepWindowMs = 7 * kDayMs;  // sweeps forwarded (and kept current) this long
constexpr size_t kMaxSweepsPerBatch = 500;

std::string join_origin(const std::string& name, const std::string& origin) {
  return origin.empty() ? name : name + "/" + origin;
}

std::string digest_of(const std::string& text) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(text));
  return buf;
}

// What decides whether a host is sent again: everything but the exact report time, which counts
// by the day (a host reporting every hour with nothing changed goes up once a day).
std::string host_digest(const v1::UnitHost& h) {
  std::string s;
  for (const auto* f : {&h.hostname(), &h.department(), &h.owner(), &h.ip(), &h.mac(), &h.os_name(),
                        &h.classification()})
    s += *f + '\x1f';
  s += std::to_string(h.online()) + std::to_string(h.revoked()) + '\x1f' +
       std::to_string(h.last_report_ms() / kDayMs);
  for (const auto& c : h.checks()) s += '\x1e' + c.check() + '=' + c.status();
  return digest_of(s);
}

std::string sweep_digest(const v1::UnitSweep& s) {
  return digest_of(std::to_string(s.targets()) + '/' + std::to_string(s.answered()) + '/' +
                   std::to_string(s.offline()) + '/' + std::to_string(s.upper_request_id()));
}

// The details admins filled in, from 8 columns starting at `col`: location, service, impact,
// cause, handling, reporter, reported_at, details updated_at (0 for none).
constexpr const char* kOwnDetailColumns =
    "coalesce(d.location, ''), coalesce(d.service, ''), coalesce(d.impact, ''), "
    "coalesce(d.cause, ''), coalesce(d.handling, ''), coalesce(d.reporter, ''), "
    "coalesce(d.reported_at, 0), coalesce(d.updated_at, 0)";
constexpr const char* kRelayedDetailColumns =
    "i.location, i.service, i.impact, i.cause, i.handling, i.reporter, coalesce(i.reported_at, 0), "
    "i.details_updated_at";
void read_details(storage::Statement& st, int col, v1::UnitIncident* i) {
  i->set_location(st.column_text(col));
  i->set_service(st.column_text(col + 1));
  i->set_impact(st.column_text(col + 2));
  i->set_cause(st.column_text(col + 3));
  i->set_handling(st.column_text(col + 4));
  i->set_reporter(st.column_text(col + 5));
  i->set_reported_at_ms(st.column_int(col + 6));
  i->set_details_updated_at_ms(st.column_int(col + 7));
}

UnitIdentity unit_from_row(storage::Statement& st) {
  return UnitIdentity{st.column_int(0),  st.column_text(1),     st.column_text(2),
                      st.column_text(3), st.column_int(4) != 0, st.column_text(5)};
}

constexpr const char* kUnitColumns = "id, unit_id, name, department, revoked, cert_serial";

}  // namespace

CascadeStore::CascadeStore(const storage::Location& database, const Clock& clock)
    : clock_(clock), db_(storage::connect(database)) {
  storage::migrate(*db_);
}

// ---------------------------------------------------------------- the level above

EnrolledUnit CascadeStore::enroll_unit(const std::string& token, const std::string& name,
                                       const CertificateIssuer& issue) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  int64_t now = clock_.now_ms();
  auto spent = spend_token(*db_, token, "unit", now);
  auto same = db_->prepare("SELECT unit_id FROM units WHERE name = ?");
  same.bind(1, name);
  if (same.step())
    throw EnrollmentRefused("a unit named '" + name + "' is already enrolled here (" +
                            same.column_text(0) + "); choose another --unit-name");
  same.reset();
  std::string unit_id = "u-" + generate_agent_id().substr(2);
  IssuedCertificate cert = issue(unit_id, spent.department);
  db_->prepare(
         "INSERT INTO units (unit_id, name, department, token_id, cert_serial, enrolled_at) "
         "VALUES (?,?,?,?,?,?)")
      .bind(1, unit_id)
      .bind(2, name)
      .bind(3, spent.department)
      .bind(4, spent.id)
      .bind(5, cert.serial_hex)
      .bind(6, now)
      .run();
  tx.commit();
  return EnrolledUnit{unit_id, spent.department, cert.pem};
}

std::optional<UnitIdentity> CascadeStore::find_unit(const std::string& unit_id) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kUnitColumns + " FROM units WHERE unit_id = ?");
  st.bind(1, unit_id);
  if (!st.step()) return std::nullopt;
  return unit_from_row(st);
}

v1::UnitAck CascadeStore::apply(const UnitIdentity& unit, const v1::UnitBatch& b) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  int64_t now = clock_.now_ms();
  v1::UnitAck ack;
  ack.set_applied_seq(b.seq());
  auto last = db_->prepare("SELECT last_seq FROM units WHERE id = ?");
  last.bind(1, unit.id);
  last.step();
  auto last_seq = static_cast<uint64_t>(last.column_int(0));
  last.reset();
  // The next batch, or the same one again (its acknowledgement was lost). Anything else is a gap
  // (this database was restored, or the unit's): the unit sends everything again.
  ack.set_resync(b.seq() != last_seq + 1 && b.seq() != last_seq && !b.full());

  if (b.full()) {
    for (const char* table : {"unit_results", "unit_hosts", "unit_members", "unit_check_counts"})
      db_->prepare(std::string("DELETE FROM ") + table + " WHERE unit_id = ?")
          .bind(1, unit.id)
          .run();
  }
  auto member = db_->prepare(
      "INSERT INTO unit_members (unit_id, origin, name, ledger_hosts, last_contact_at) "
      "VALUES (?,?,?,?,?) ON CONFLICT (unit_id, origin) DO UPDATE SET name = excluded.name, "
      "ledger_hosts = excluded.ledger_hosts, last_contact_at = excluded.last_contact_at");
  for (const auto& m : b.members()) {
    member.bind(1, unit.id)
        .bind(2, m.origin())
        .bind(3, m.name())
        .bind(4, m.ledger_hosts())
        .bind(5, m.origin().empty() ? now : m.last_contact_ms())
        .run();
  }

  auto forget_results =
      db_->prepare("DELETE FROM unit_results WHERE unit_id = ? AND origin = ? AND agent_id = ?");
  auto forget_host =
      db_->prepare("DELETE FROM unit_hosts WHERE unit_id = ? AND origin = ? AND agent_id = ?");
  auto upsert = db_->prepare(
      "INSERT INTO unit_hosts (unit_id, origin, agent_id, hostname, department, owner, ip, mac, "
      "os_name, classification, online, last_report_at, revoked, passing, failing, errors, "
      "failing_checks, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (unit_id, origin, agent_id) DO UPDATE SET hostname = excluded.hostname, "
      "department = excluded.department, owner = excluded.owner, ip = excluded.ip, "
      "mac = excluded.mac, os_name = excluded.os_name, classification = excluded.classification, "
      "online = excluded.online, last_report_at = excluded.last_report_at, "
      "revoked = excluded.revoked, passing = excluded.passing, failing = excluded.failing, "
      "errors = excluded.errors, failing_checks = excluded.failing_checks, seq = excluded.seq, "
      "updated_at = excluded.updated_at WHERE unit_hosts.seq <= excluded.seq RETURNING agent_id");
  auto result = db_->prepare(
      "INSERT INTO unit_results (unit_id, origin, agent_id, check_id, status) VALUES (?,?,?,?,?) "
      "ON CONFLICT (unit_id, origin, agent_id, check_id) DO UPDATE SET status = excluded.status");
  // unit_check_counts follows each live host's results, so the report never scans them all.
  auto previous = db_->prepare(
      "SELECT revoked FROM unit_hosts WHERE unit_id = ? AND origin = ? AND agent_id = ?");
  auto uncount = db_->prepare(
      "UPDATE unit_check_counts SET hosts = hosts - 1 WHERE unit_id = ?1 AND origin = ?2 AND "
      "EXISTS (SELECT 1 FROM unit_results r WHERE r.unit_id = ?1 AND r.origin = ?2 AND "
      "r.agent_id = ?3 AND r.check_id = unit_check_counts.check_id AND "
      "r.status = unit_check_counts.status)");
  auto count = db_->prepare(
      "INSERT INTO unit_check_counts (unit_id, origin, check_id, status, hosts) "
      "SELECT unit_id, origin, check_id, status, 1 FROM unit_results WHERE unit_id = ?1 AND "
      "origin = ?2 AND agent_id = ?3 ON CONFLICT (unit_id, origin, check_id, status) "
      "DO UPDATE SET hosts = unit_check_counts.hosts + 1");
  for (const auto& h : b.hosts()) {
    previous.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id());
    const bool counted = previous.step() && previous.column_int(0) == 0;
    previous.reset();
    if (h.removed()) {
      if (counted) uncount.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
      forget_results.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
      forget_host.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
      continue;
    }
    int64_t pass = 0, fail = 0, error = 0;
    std::map<std::string, std::string> failing;  // sorted, and a check sent twice counts once
    for (const auto& c : h.checks()) {
      if (c.status() == "pass") ++pass;
      if (c.status() == "fail") failing[c.check()];
      if (c.status() == "error") ++error;
    }
    fail = static_cast<int64_t>(failing.size());
    std::string failing_list;
    for (const auto& [check, _] : failing)
      failing_list += (failing_list.empty() ? "" : ",") + check;
    upsert.bind(1, unit.id)
        .bind(2, h.origin())
        .bind(3, h.agent_id())
        .bind(4, h.hostname())
        .bind(5, h.department())
        .bind(6, h.owner())
        .bind(7, h.ip())
        .bind(8, h.mac())
        .bind(9, h.os_name())
        .bind(10, h.classification())
        .bind(11, h.online())
        .bind(12, h.last_report_ms())
        .bind(13, h.revoked())
        .bind(14, pass)
        .bind(15, fail)
        .bind(16, error)
        .bind(17, failing_list)
        .bind(18, static_cast<int64_t>(b.seq()))
        .bind(19, now);
    bool changed = upsert.step();
    upsert.reset();
    if (!changed) continue;  // an older batch than the one that set this host
    if (counted) uncount.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
    forget_results.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
    for (const auto& c : h.checks())
      result.bind(1, unit.id)
          .bind(2, h.origin())
          .bind(3, h.agent_id())
          .bind(4, c.check())
          .bind(5, c.status())
          .run();
    if (!h.revoked()) count.bind(1, unit.id).bind(2, h.origin()).bind(3, h.agent_id()).run();
  }

  auto incident = db_->prepare(
      "INSERT INTO unit_incidents (unit_id, origin, source_id, at, agent_id, hostname, ip, mac, "
      "owner, department, os, check_id, summary, received_at, location, service, impact, cause, "
      "handling, reporter, reported_at, details_updated_at, details_received_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (unit_id, origin, source_id) DO NOTHING RETURNING id");
  // An incident known already may come again with newer details (filled in at the unit later).
  auto details = db_->prepare(
      "UPDATE unit_incidents SET location = ?, service = ?, impact = ?, cause = ?, handling = ?, "
      "reporter = ?, reported_at = ?, details_updated_at = ?, details_received_at = ? "
      "WHERE unit_id = ? AND origin = ? AND source_id = ? AND details_updated_at < ?");
  auto bind_details = [&](storage::Statement& st, int at, const v1::UnitIncident& i) {
    st.bind(at, i.location())
        .bind(at + 1, i.service())
        .bind(at + 2, i.impact())
        .bind(at + 3, i.cause())
        .bind(at + 4, i.handling())
        .bind(at + 5, i.reporter());
    if (i.reported_at_ms())
      st.bind(at + 6, i.reported_at_ms());
    else
      st.bind_null(at + 6);
    st.bind(at + 7, i.details_updated_at_ms()).bind(at + 8, now);
  };
  uint32_t duplicates = 0;
  for (const auto& i : b.incidents()) {
    incident.bind(1, unit.id)
        .bind(2, i.origin())
        .bind(3, i.source_id())
        .bind(4, i.at_ms())
        .bind(5, i.agent_id())
        .bind(6, i.hostname())
        .bind(7, i.ip())
        .bind(8, i.mac())
        .bind(9, i.owner())
        .bind(10, i.department())
        .bind(11, i.os())
        .bind(12, i.check())
        .bind(13, i.summary())
        .bind(14, now);
    bind_details(incident, 15, i);
    bool inserted = incident.step();
    incident.reset();
    if (inserted) continue;
    ++duplicates;
    if (i.details_updated_at_ms() == 0) continue;
    bind_details(details, 1, i);
    details.bind(10, unit.id)
        .bind(11, i.origin())
        .bind(12, i.source_id())
        .bind(13, i.details_updated_at_ms())
        .run();
  }
  ack.set_duplicate_incidents(duplicates);

  auto sweep = db_->prepare(
      "INSERT INTO unit_sweeps (unit_id, origin, sweep_id, requested_at, requested_by, kind, "
      "targets, answered, offline, upper_request_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (unit_id, origin, sweep_id) DO UPDATE SET targets = excluded.targets, "
      "answered = excluded.answered, offline = excluded.offline, "
      "upper_request_id = excluded.upper_request_id, updated_at = excluded.updated_at");
  auto done = db_->prepare(
      "UPDATE unit_sweep_requests SET done_at = ? WHERE id = ? AND unit_id = ? AND done_at IS "
      "NULL");
  for (const auto& s : b.sweeps()) {
    sweep.bind(1, unit.id)
        .bind(2, s.origin())
        .bind(3, static_cast<int64_t>(s.sweep_id()))
        .bind(4, s.requested_at_ms())
        .bind(5, s.requested_by())
        .bind(6, s.kind())
        .bind(7, static_cast<int64_t>(s.targets()))
        .bind(8, static_cast<int64_t>(s.answered()))
        .bind(9, static_cast<int64_t>(s.offline()))
        .bind(10, static_cast<int64_t>(s.upper_request_id()))
        .bind(11, now)
        .run();
    if (s.upper_request_id())
      done.bind(1, now).bind(2, static_cast<int64_t>(s.upper_request_id())).bind(3, unit.id).run();
  }

  db_->prepare("UPDATE units SET last_seq = ?, last_contact_at = ? WHERE id = ?")
      .bind(1, static_cast<int64_t>(b.seq()))
      .bind(2, now)
      .bind(3, unit.id)
      .run();
  auto requests = db_->prepare(
      "SELECT id, origin, kind, requested_by FROM unit_sweep_requests WHERE unit_id = ? AND "
      "done_at IS NULL ORDER BY id");
  requests.bind(1, unit.id);
  while (requests.step()) {
    auto* r = ack.add_sweep_requests();
    r->set_id(static_cast<uint64_t>(requests.column_int(0)));
    r->set_origin(requests.column_text(1));
    r->set_kind(requests.column_text(2));
    r->set_requested_by(requests.column_text(3));
  }
  requests.reset();
  tx.commit();
  return ack;
}

std::vector<domain::UnitSummary> CascadeStore::list_units() {
  std::lock_guard lock(mu_);
  int64_t now = clock_.now_ms();
  std::map<std::pair<int64_t, std::string>, domain::UnitSummary> out;
  auto units = db_->prepare(
      "SELECT u.id, u.name, u.unit_id, u.department, u.enrolled_at, "
      "coalesce(u.last_contact_at, 0), coalesce(m.origin, ''), coalesce(m.ledger_hosts, 0), "
      "coalesce(m.last_contact_at, 0) FROM units u LEFT JOIN unit_members m ON m.unit_id = u.id "
      "WHERE u.revoked = FALSE ORDER BY u.name, m.origin");
  while (units.step()) {
    std::string origin = units.column_text(6);
    auto& s = out[{units.column_int(0), origin}];
    s.name = join_origin(units.column_text(1), origin);
    s.unit_id = units.column_text(2);
    s.department = units.column_text(3);
    s.enrolled_at_ms = units.column_int(4);
    s.ledger_hosts = units.column_int(7);
    s.last_contact_ms = origin.empty() ? units.column_int(5) : units.column_int(8);
  }
  units.reset();
  auto hosts = db_->prepare(
      "SELECT unit_id, origin, count(*), "
      "sum(CASE WHEN last_report_at >= ? THEN 1 ELSE 0 END), "
      "sum(CASE WHEN online THEN 1 ELSE 0 END), sum(CASE WHEN failing > 0 THEN 1 ELSE 0 END), "
      "sum(passing), sum(failing), sum(errors) FROM unit_hosts WHERE revoked = FALSE "
      "GROUP BY unit_id, origin");
  hosts.bind(1, now - kDayMs);
  while (hosts.step()) {
    auto it = out.find({hosts.column_int(0), hosts.column_text(1)});
    if (it == out.end()) continue;  // a member no longer listed
    auto& s = it->second;
    s.hosts = hosts.column_int(2);
    s.reporting = hosts.column_int(3);
    s.online = hosts.column_int(4);
    s.failing = hosts.column_int(5);
    double pass = static_cast<double>(hosts.column_int(6));
    double judged = pass + static_cast<double>(hosts.column_int(7) + hosts.column_int(8));
    s.compliance_rate = judged > 0 ? pass / judged : 1.0;
  }
  hosts.reset();
  auto pending = db_->prepare(
      "SELECT unit_id, origin, count(*) FROM unit_sweep_requests WHERE done_at IS NULL "
      "GROUP BY unit_id, origin");
  while (pending.step()) {
    auto it = out.find({pending.column_int(0), pending.column_text(1)});
    if (it != out.end()) it->second.pending_sweeps = static_cast<uint64_t>(pending.column_int(2));
  }
  std::vector<domain::UnitSummary> list;
  for (auto& [_, s] : out) list.push_back(std::move(s));
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return list;
}

domain::UnitSummary CascadeStore::revoke_unit(const std::string& name) {
  domain::UnitSummary before;
  for (auto& u : list_units())
    if (u.name == name) before = u;
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto st = db_->prepare("SELECT id, unit_id FROM units WHERE name = ? AND revoked = FALSE");
  st.bind(1, name);
  if (!st.step()) throw Failure(not_found("no unit named '" + name + "' below this collector"));
  int64_t id = st.column_int(0);
  std::string unit_id = st.column_text(1);
  st.reset();
  for (const char* table :
       {"unit_results", "unit_hosts", "unit_members", "unit_check_counts", "unit_sweeps"})
    db_->prepare(std::string("DELETE FROM ") + table + " WHERE unit_id = ?").bind(1, id).run();
  db_->prepare("UPDATE unit_sweep_requests SET done_at = ? WHERE unit_id = ? AND done_at IS NULL")
      .bind(1, clock_.now_ms())
      .bind(2, id)
      .run();
  // The name is free again; the row stays, so its incidents keep their unit.
  db_->prepare("UPDATE units SET revoked = TRUE, name = ? WHERE id = ?")
      .bind(1, name + " (revoked " + unit_id + ")")
      .bind(2, id)
      .run();
  tx.commit();
  before.name = name;
  before.unit_id = unit_id;
  return before;
}

std::vector<domain::UnitCompliance> CascadeStore::unit_compliance() {
  std::vector<domain::UnitCompliance> out;
  std::map<std::pair<std::string, std::string>, size_t> index;  // (unit_id, origin) -> out
  for (auto& u : list_units()) {
    auto slash = u.name.find('/');
    index[{u.unit_id, slash == std::string::npos ? "" : u.name.substr(slash + 1)}] = out.size();
    out.push_back({std::move(u), {}});
  }
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT u.unit_id, c.origin, c.check_id, c.status, c.hosts FROM unit_check_counts c "
      "JOIN units u ON u.id = c.unit_id WHERE u.revoked = FALSE AND c.hosts > 0 "
      "ORDER BY u.unit_id, c.origin, c.check_id");
  while (st.step()) {
    auto it = index.find({st.column_text(0), st.column_text(1)});
    if (it == index.end()) continue;
    auto& checks = out[it->second].checks;
    std::string check = st.column_text(2);
    if (checks.empty() || checks.back().check != check) checks.push_back({check, 0, 0, 0, 0});
    domain::count_status(checks.back(), parse_status(st.column_text(3)),
                         static_cast<uint32_t>(st.column_int(4)));
  }
  return out;
}

UnitRef CascadeStore::resolve(const std::string& path) {
  std::lock_guard lock(mu_);
  auto slash = path.find('/');
  std::string name = path.substr(0, slash);
  std::string origin = slash == std::string::npos ? "" : path.substr(slash + 1);
  auto st = db_->prepare("SELECT id FROM units WHERE name = ? AND revoked = FALSE");
  st.bind(1, name);
  if (!st.step()) throw Failure(not_found("no unit named '" + name + "' below this collector"));
  UnitRef ref{st.column_int(0), origin, path};
  st.reset();
  if (!origin.empty()) {
    auto m = db_->prepare("SELECT 1 FROM unit_members WHERE unit_id = ? AND origin = ?");
    m.bind(1, ref.id).bind(2, origin);
    if (!m.step())
      throw Failure(not_found("unit '" + name + "' has forwarded no unit '" + origin + "'"));
  }
  return ref;
}

domain::FleetStatus CascadeStore::unit_status(const UnitRef& unit) {
  std::lock_guard lock(mu_);
  domain::FleetStatusTally tally;
  auto st = db_->prepare(
      "SELECT revoked, online, failing > 0, department FROM unit_hosts WHERE unit_id = ? AND "
      "origin = ?");
  st.bind(1, unit.id).bind(2, unit.origin);
  while (st.step())
    tally.host(st.column_text(3), st.column_int(0) != 0, st.column_int(1) != 0,
               st.column_int(2) != 0);
  st.reset();
  auto cs = db_->prepare(
      "SELECT check_id, status, hosts FROM unit_check_counts WHERE unit_id = ? AND origin = ? "
      "AND hosts > 0 ORDER BY check_id");
  cs.bind(1, unit.id).bind(2, unit.origin);
  while (cs.step())
    tally.result(cs.column_text(0), parse_status(cs.column_text(1)),
                 static_cast<uint32_t>(cs.column_int(2)));
  return tally.take();
}

std::vector<domain::HostSummary> CascadeStore::unit_hosts(const UnitRef& unit,
                                                          const domain::HostFilter& filter) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT agent_id, hostname, department, online, last_report_at, failing_checks, os_name, "
      "ip, revoked, owner, classification FROM unit_hosts WHERE unit_id = ?1 AND origin = ?2 "
      "AND (?3 = '' OR department = ?3 OR substr(department, 1, length(?3) + 1) = ?3 || '/') "
      "AND (?4 = '' OR classification = ?4) "
      "AND (?5 = '' OR EXISTS (SELECT 1 FROM unit_results r WHERE r.unit_id = unit_hosts.unit_id "
      "AND r.origin = unit_hosts.origin AND r.agent_id = unit_hosts.agent_id AND r.check_id = ?5 "
      "AND r.status = 'fail')) ORDER BY hostname, agent_id");
  st.bind(1, unit.id)
      .bind(2, unit.origin)
      .bind(3, filter.department)
      .bind(4, filter.classification)
      .bind(5, filter.failing_check);
  std::vector<domain::HostSummary> out;
  while (st.step()) {
    auto& h = out.emplace_back();
    h.agent_id = st.column_text(0);
    h.hostname = st.column_text(1);
    h.department = st.column_text(2);
    h.online = st.column_int(3) != 0;
    h.last_seen_ms = st.column_int(4);
    h.failing = split_commas(st.column_text(5));
    h.os_name = st.column_text(6);
    h.peer_address = st.column_text(7);
    h.revoked = st.column_int(8) != 0;
    h.owner = st.column_text(9);
    h.classification = st.column_text(10);
  }
  return out;
}

uint64_t CascadeStore::request_sweep(const UnitRef& unit, const std::string& requested_by) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "INSERT INTO unit_sweep_requests (unit_id, origin, kind, requested_at, requested_by) "
      "VALUES (?,?,?,?,?) RETURNING id");
  st.bind(1, unit.id)
      .bind(2, unit.origin)
      .bind(3, std::string("upper"))
      .bind(4, clock_.now_ms())
      .bind(5, requested_by);
  st.step();
  return static_cast<uint64_t>(st.column_int(0));
}

std::vector<domain::Incident> CascadeStore::unit_incidents(int64_t since_ms) {
  std::lock_guard lock(mu_);
  return incidents_locked("i.at >= ?", [&](storage::Statement& st) { st.bind(1, since_ms); });
}

std::vector<domain::Incident> CascadeStore::incidents_locked(
    const std::string& where, const std::function<void(storage::Statement&)>& bind) {
  auto st = db_->prepare(
      std::string("SELECT u.name, i.origin, i.at, i.agent_id, i.hostname, i.ip, i.mac, i.owner, "
                  "i.department, i.os, i.check_id, i.summary, ") +
      kRelayedDetailColumns + " FROM unit_incidents i JOIN units u ON u.id = i.unit_id WHERE " +
      where + " ORDER BY i.at DESC, i.id DESC");
  bind(st);
  std::vector<domain::Incident> out;
  while (st.step()) {
    auto& i = out.emplace_back();
    i.unit = join_origin(st.column_text(0), st.column_text(1));
    i.at_ms = st.column_int(2);
    i.agent_id = st.column_text(3);
    i.hostname = st.column_text(4);
    i.ip = st.column_text(5);
    i.mac = st.column_text(6);
    i.owner = st.column_text(7);
    i.department = st.column_text(8);
    i.os = st.column_text(9);
    i.check = st.column_text(10);
    i.summary = st.column_text(11);
    i.status = "fail";
    v1::UnitIncident filled;
    read_details(st, 12, &filled);
    i.location = filled.location();
    i.service = filled.service();
    i.impact = filled.impact();
    i.cause = filled.cause();
    i.handling = filled.handling();
    i.reporter = filled.reporter();
    i.reported_at_ms = filled.reported_at_ms();
    i.updated_at_ms = filled.details_updated_at_ms();
  }
  return out;
}

// ---------------------------------------------------------------- a unit

PendingBatch CascadeStore::next_batch(const ForwardOptions& options,
                                      const std::set<std::string>& online) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.now_ms();
  PendingBatch p;
  auto& b = p.batch;
  auto state = db_->prepare(
      "SELECT seq, incident_cursor, unit_incident_cursor, details_cursor, unit_details_cursor "
      "FROM upstream_state WHERE id = 1");
  state.step();
  b.set_seq(static_cast<uint64_t>(state.column_int(0)) + 1);
  p.incident_cursor = state.column_int(1);
  p.unit_incident_cursor = state.column_int(2);
  p.details_cursor = state.column_int(3);
  p.unit_details_cursor = state.column_int(4);
  state.reset();
  b.set_sent_at_ms(now);

  std::map<std::string, std::string> forwarded;  // key -> digest, as acknowledged
  if (options.snapshot) {
    p.incident_cursor = p.unit_incident_cursor = p.details_cursor = p.unit_details_cursor = 0;
  } else {
    auto fw = db_->prepare("SELECT key, digest FROM upstream_forwarded");
    while (fw.step()) forwarded.emplace(fw.column_text(0), fw.column_text(1));
    fw.reset();
  }
  // Incidents up to these were acknowledged: only their details can go again.
  const int64_t acked_incident_cursor = p.incident_cursor;
  const int64_t acked_unit_incident_cursor = p.unit_incident_cursor;
  // Nothing acknowledged yet (first link, or the level above asked to start over): the batch
  // says so, and the level above forgets what it held of this unit before applying it.
  b.set_full(forwarded.empty());

  // Members: this unit and every unit below it, sent each time (a few rows; the level above
  // takes the batch itself as this unit's sign of life).
  auto* self = b.add_members();
  self->set_name(options.unit_name);
  auto ledger = db_->prepare("SELECT count(*) FROM ledger");
  ledger.step();
  self->set_ledger_hosts(ledger.column_int(0));
  ledger.reset();
  self->set_last_contact_ms(now);
  auto members = db_->prepare(
      "SELECT u.name, m.origin, m.name, m.ledger_hosts, coalesce(m.last_contact_at, 0) "
      "FROM units u JOIN unit_members m ON m.unit_id = u.id WHERE u.revoked = FALSE "
      "ORDER BY u.name, m.origin");
  while (members.step()) {
    auto* m = b.add_members();
    m->set_origin(join_origin(members.column_text(0), members.column_text(1)));
    m->set_name(members.column_text(2));
    m->set_ledger_hosts(members.column_int(3));
    m->set_last_contact_ms(members.column_int(4));
  }
  members.reset();

  // Hosts: this unit's own, then those its units forwarded, each with its latest results.
  std::map<std::string, v1::UnitHost> hosts;  // key -> host
  auto own = db_->prepare(
      "SELECT h.agent_id, h.hostname, h.department, h.owner, "
      " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "h.peer_address), "
      " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "''), h.os_name, h.classification, coalesce(h.last_report_at, 0), h.revoked FROM hosts h");
  while (own.step()) {
    v1::UnitHost h;
    h.set_agent_id(own.column_text(0));
    h.set_hostname(own.column_text(1));
    h.set_department(own.column_text(2));
    if (options.send_facts) {
      h.set_owner(own.column_text(3));
      h.set_ip(own.column_text(4));
      h.set_mac(own.column_text(5));
      h.set_os_name(own.column_text(6));
    }
    h.set_classification(own.column_text(7));
    h.set_last_report_ms(own.column_int(8));
    h.set_revoked(own.column_int(9) != 0);
    h.set_online(online.count(h.agent_id()) > 0);
    hosts.emplace("host:/" + h.agent_id(), std::move(h));
  }
  own.reset();
  auto own_results = db_->prepare(
      "SELECT h.agent_id, r.check_id, r.status FROM latest_results r JOIN hosts h ON "
      "h.id = r.host_id ORDER BY h.agent_id, r.check_id");
  while (own_results.step()) {
    auto it = hosts.find("host:/" + own_results.column_text(0));
    if (it == hosts.end()) continue;
    auto* c = it->second.add_checks();
    c->set_check(own_results.column_text(1));
    c->set_status(own_results.column_text(2));
  }
  own_results.reset();
  auto below = db_->prepare(
      "SELECT u.name, h.origin, h.agent_id, h.hostname, h.department, h.owner, h.ip, h.mac, "
      "h.os_name, h.classification, h.online, h.last_report_at, h.revoked FROM unit_hosts h "
      "JOIN units u ON u.id = h.unit_id WHERE u.revoked = FALSE");
  while (below.step()) {
    v1::UnitHost h;
    h.set_origin(join_origin(below.column_text(0), below.column_text(1)));
    h.set_agent_id(below.column_text(2));
    h.set_hostname(below.column_text(3));
    h.set_department(below.column_text(4));
    if (options.send_facts) {
      h.set_owner(below.column_text(5));
      h.set_ip(below.column_text(6));
      h.set_mac(below.column_text(7));
      h.set_os_name(below.column_text(8));
    }
    h.set_classification(below.column_text(9));
    h.set_online(below.column_int(10) != 0);
    h.set_last_report_ms(below.column_int(11));
    h.set_revoked(below.column_int(12) != 0);
    hosts.emplace("host:" + h.origin() + "/" + h.agent_id(), std::move(h));
  }
  below.reset();
  auto below_results = db_->prepare(
      "SELECT u.name, r.origin, r.agent_id, r.check_id, r.status FROM unit_results r "
      "JOIN units u ON u.id = r.unit_id WHERE u.revoked = FALSE "
      "ORDER BY u.name, r.origin, r.agent_id, r.check_id");
  while (below_results.step()) {
    auto it = hosts.find(
        "host:" + join_origin(below_results.column_text(0), below_results.column_text(1)) + "/" +
        below_results.column_text(2));
    if (it == hosts.end()) continue;
    auto* c = it->second.add_checks();
    c->set_check(below_results.column_text(3));
    c->set_status(below_results.column_text(4));
  }
  below_results.reset();
  for (auto& [key, h] : hosts) {
    std::string digest = host_digest(h);
    auto it = forwarded.find(key);
    if (it != forwarded.end() && it->second == digest) continue;
    if (static_cast<size_t>(b.hosts_size()) >= options.max_hosts) {
      p.more = true;
      break;
    }
    *b.add_hosts() = std::move(h);
    p.digests.emplace_back(key, digest);
  }
  for (const auto& [key, _] : forwarded) {
    if (key.rfind("host:", 0) != 0 || hosts.count(key)) continue;
    if (static_cast<size_t>(b.hosts_size()) >= options.max_hosts) {
      p.more = true;
      break;
    }
    auto slash = key.rfind('/');
    auto* gone = b.add_hosts();
    gone->set_origin(key.substr(5, slash - 5));
    gone->set_agent_id(key.substr(slash + 1));
    gone->set_removed(true);
    p.forgotten.push_back(key);
  }

  // Incidents: every transition into a failing critical result, here and below, in order.
  auto incidents = db_->prepare(
      "SELECT sh.id, sh.at, h.agent_id, h.hostname, "
      " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "h.peer_address), "
      " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "''), h.owner, h.department, h.os_name, sh.check_id, sh.summary, " +
      std::string(kOwnDetailColumns) +
      " FROM status_history sh JOIN hosts h ON h.id = sh.host_id "
      "LEFT JOIN incident_details d ON d.history_id = sh.id "
      "WHERE sh.id > ? AND sh.at >= ? AND sh.to_status = 'fail' AND sh.severity = 'critical' "
      "ORDER BY sh.id LIMIT ?");
  incidents.bind(1, p.incident_cursor)
      .bind(2, options.since_ms)
      .bind(3, static_cast<int64_t>(options.max_incidents + 1));
  while (incidents.step()) {
    if (static_cast<size_t>(b.incidents_size()) >= options.max_incidents) {
      p.more = true;
      break;
    }
    auto* i = b.add_incidents();
    p.incident_cursor = incidents.column_int(0);
    i->set_source_id(incidents.column_int(0));
    i->set_at_ms(incidents.column_int(1));
    i->set_agent_id(incidents.column_text(2));
    i->set_hostname(incidents.column_text(3));
    if (options.send_facts) {
      i->set_ip(incidents.column_text(4));
      i->set_mac(incidents.column_text(5));
      i->set_owner(incidents.column_text(6));
      i->set_os(incidents.column_text(8));
    }
    i->set_department(incidents.column_text(7));
    i->set_check(incidents.column_text(9));
    i->set_summary(incidents.column_text(10));
    read_details(incidents, 11, i);
  }
  incidents.reset();
  // Incidents sent before whose details were filled in or changed since.
  auto own_details = db_->prepare(
      "SELECT sh.id, sh.at, h.agent_id, h.hostname, h.department, sh.check_id, sh.summary, " +
      std::string(kOwnDetailColumns) +
      " FROM incident_details d JOIN status_history sh ON sh.id = d.history_id "
      "JOIN hosts h ON h.id = sh.host_id WHERE d.updated_at > ? AND sh.id <= ? "
      "ORDER BY d.updated_at, d.history_id LIMIT ?");
  own_details.bind(1, p.details_cursor)
      .bind(2, acked_incident_cursor)
      .bind(3, static_cast<int64_t>(options.max_incidents + 1));
  while (own_details.step()) {
    if (static_cast<size_t>(b.incidents_size()) >= options.max_incidents) {
      p.more = true;
      break;
    }
    auto* i = b.add_incidents();
    i->set_source_id(own_details.column_int(0));
    i->set_at_ms(own_details.column_int(1));
    i->set_agent_id(own_details.column_text(2));
    i->set_hostname(own_details.column_text(3));
    i->set_department(own_details.column_text(4));
    i->set_check(own_details.column_text(5));
    i->set_summary(own_details.column_text(6));
    read_details(own_details, 7, i);
    p.details_cursor = i->details_updated_at_ms();
  }
  own_details.reset();
  size_t own_incidents = static_cast<size_t>(b.incidents_size());
  auto relayed = db_->prepare(
      "SELECT i.id, u.name, i.origin, i.source_id, i.at, i.agent_id, i.hostname, i.ip, i.mac, "
      "i.owner, i.department, i.os, i.check_id, i.summary, " +
      std::string(kRelayedDetailColumns) +
      " FROM unit_incidents i JOIN units u ON u.id = i.unit_id WHERE i.id > ? AND i.at >= ? "
      "ORDER BY i.id LIMIT ?");
  relayed.bind(1, p.unit_incident_cursor)
      .bind(2, options.since_ms)
      .bind(3, static_cast<int64_t>(options.max_incidents -
                                    std::min(own_incidents, options.max_incidents) + 1));
  while (relayed.step()) {
    if (static_cast<size_t>(b.incidents_size()) >= options.max_incidents) {
      p.more = true;
      break;
    }
    auto* i = b.add_incidents();
    p.unit_incident_cursor = relayed.column_int(0);
    i->set_origin(join_origin(relayed.column_text(1), relayed.column_text(2)));
    i->set_source_id(relayed.column_int(3));
    i->set_at_ms(relayed.column_int(4));
    i->set_agent_id(relayed.column_text(5));
    i->set_hostname(relayed.column_text(6));
    if (options.send_facts) {
      i->set_ip(relayed.column_text(7));
      i->set_mac(relayed.column_text(8));
      i->set_owner(relayed.column_text(9));
      i->set_os(relayed.column_text(11));
    }
    i->set_department(relayed.column_text(10));
    i->set_check(relayed.column_text(12));
    i->set_summary(relayed.column_text(13));
    read_details(relayed, 14, i);
  }
  relayed.reset();
  auto relayed_details = db_->prepare(
      "SELECT i.details_received_at, u.name, i.origin, i.source_id, i.at, i.agent_id, "
      "i.hostname, i.department, i.check_id, i.summary, " +
      std::string(kRelayedDetailColumns) +
      " FROM unit_incidents i JOIN units u ON u.id = i.unit_id "
      "WHERE i.details_received_at > ? AND i.id <= ? AND i.details_updated_at > 0 "
      "ORDER BY i.details_received_at, i.id LIMIT ?");
  relayed_details.bind(1, p.unit_details_cursor)
      .bind(2, acked_unit_incident_cursor)
      .bind(3, static_cast<int64_t>(options.max_incidents + 1));
  while (relayed_details.step()) {
    if (static_cast<size_t>(b.incidents_size()) >= options.max_incidents) {
      p.more = true;
      break;
    }
    auto* i = b.add_incidents();
    p.unit_details_cursor = relayed_details.column_int(0);
    i->set_origin(join_origin(relayed_details.column_text(1), relayed_details.column_text(2)));
    i->set_source_id(relayed_details.column_int(3));
    i->set_at_ms(relayed_details.column_int(4));
    i->set_agent_id(relayed_details.column_text(5));
    i->set_hostname(relayed_details.column_text(6));
    i->set_department(relayed_details.column_text(7));
    i->set_check(relayed_details.column_text(8));
    i->set_summary(relayed_details.column_text(9));
    read_details(relayed_details, 10, i);
  }
  relayed_details.reset();

  // Sweeps of the last week, here and below, when their tallies moved.
  std::vector<std::pair<std::string, v1::UnitSweep>> sweeps;
  auto own_sweeps = db_->prepare(
      "SELECT s.id, s.requested_at, s.requested_by, s.kind, "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = TRUE), "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = TRUE AND "
      "t.answered_at IS NOT NULL), "
      " (SELECT count(*) FROM sweep_targets t WHERE t.sweep_id = s.id AND t.online = FALSE), "
      " coalesce((SELECT q.request_id FROM upstream_requests q WHERE q.sweep_id = s.id), 0) "
      "FROM sweeps s WHERE s.requested_at >= ? ORDER BY s.id");
  own_sweeps.bind(1, now - kSweepWindowMs);
  while (own_sweeps.step()) {
    v1::UnitSweep s;
    s.set_sweep_id(static_cast<uint64_t>(own_sweeps.column_int(0)));
    s.set_requested_at_ms(own_sweeps.column_int(1));
    s.set_requested_by(own_sweeps.column_text(2));
    s.set_kind(own_sweeps.column_text(3));
    s.set_targets(static_cast<uint32_t>(own_sweeps.column_int(4)));
    s.set_answered(static_cast<uint32_t>(own_sweeps.column_int(5)));
    s.set_offline(static_cast<uint32_t>(own_sweeps.column_int(6)));
    s.set_upper_request_id(static_cast<uint64_t>(own_sweeps.column_int(7)));
    sweeps.emplace_back("sweep:/" + std::to_string(s.sweep_id()), std::move(s));
  }
  own_sweeps.reset();
  auto below_sweeps = db_->prepare(
      "SELECT u.name, s.origin, s.sweep_id, s.requested_at, s.requested_by, s.kind, s.targets, "
      "s.answered, s.offline, coalesce((SELECT q.request_id FROM upstream_requests q WHERE "
      "s.upper_request_id > 0 AND q.relayed_id = s.upper_request_id), 0) FROM unit_sweeps s "
      "JOIN units u ON u.id = s.unit_id WHERE s.requested_at >= ? ORDER BY u.name, s.origin, "
      "s.sweep_id");
  below_sweeps.bind(1, now - kSweepWindowMs);
  while (below_sweeps.step()) {
    v1::UnitSweep s;
    s.set_origin(join_origin(below_sweeps.column_text(0), below_sweeps.column_text(1)));
    s.set_sweep_id(static_cast<uint64_t>(below_sweeps.column_int(2)));
    s.set_requested_at_ms(below_sweeps.column_int(3));
    s.set_requested_by(below_sweeps.column_text(4));
    s.set_kind(below_sweeps.column_text(5));
    s.set_targets(static_cast<uint32_t>(below_sweeps.column_int(6)));
    s.set_answered(static_cast<uint32_t>(below_sweeps.column_int(7)));
    s.set_offline(static_cast<uint32_t>(below_sweeps.column_int(8)));
    s.set_upper_request_id(static_cast<uint64_t>(below_sweeps.column_int(9)));
    sweeps.emplace_back("sweep:" + s.origin() + "/" + std::to_string(s.sweep_id()), std::move(s));
  }
  below_sweeps.reset();
  std::set<std::string> current_sweeps;
  for (const auto& [key, _] : sweeps) current_sweeps.insert(key);
  for (const auto& [key, _] : forwarded)  // older than the window: forget it (nothing to send)
    if (key.rfind("sweep:", 0) == 0 && !current_sweeps.count(key)) p.forgotten.push_back(key);
  for (auto& [key, s] : sweeps) {
    std::string digest = sweep_digest(s);
    auto it = forwarded.find(key);
    if (it != forwarded.end() && it->second == digest) continue;
    if (static_cast<size_t>(b.sweeps_size()) >= kMaxSweepsPerBatch) {
      p.more = true;
      break;
    }
    *b.add_sweeps() = std::move(s);
    p.digests.emplace_back(key, digest);
  }
  return p;
}

void CascadeStore::acknowledge(const PendingBatch& p, const v1::UnitAck& ack) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  int64_t now = clock_.now_ms();
  if (ack.resync()) {
    // The level above lost what this unit sent (restored from a backup, or this database was):
    // forget every acknowledgement, so the next batch is full and incidents go up again (it
    // keeps each once).
    db_->exec("DELETE FROM upstream_forwarded");
    db_->prepare(
           "UPDATE upstream_state SET seq = ?, incident_cursor = 0, unit_incident_cursor = 0, "
           "details_cursor = 0, unit_details_cursor = 0, acked_at = ? WHERE id = 1")
        .bind(1, static_cast<int64_t>(p.batch.seq()))
        .bind(2, now)
        .run();
  } else {
    auto put = db_->prepare(
        "INSERT INTO upstream_forwarded (key, digest) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
        "SET digest = excluded.digest");
    for (const auto& [key, digest] : p.digests) put.bind(1, key).bind(2, digest).run();
    auto forget = db_->prepare("DELETE FROM upstream_forwarded WHERE key = ?");
    for (const auto& key : p.forgotten) forget.bind(1, key).run();
    db_->prepare(
           "UPDATE upstream_state SET seq = ?, incident_cursor = ?, unit_incident_cursor = ?, "
           "details_cursor = ?, unit_details_cursor = ?, acked_at = ? WHERE id = 1")
        .bind(1, static_cast<int64_t>(p.batch.seq()))
        .bind(2, p.incident_cursor)
        .bind(3, p.unit_incident_cursor)
        .bind(4, p.details_cursor)
        .bind(5, p.unit_details_cursor)
        .bind(6, now)
        .run();
  }
  // Sweeps the level above asks for: remembered once; one for a unit below goes down its link.
  auto take = db_->prepare(
      "INSERT INTO upstream_requests (request_id, origin, kind) VALUES (?,?,?) "
      "ON CONFLICT (request_id) DO NOTHING RETURNING request_id");
  for (const auto& r : ack.sweep_requests()) {
    take.bind(1, static_cast<int64_t>(r.id())).bind(2, r.origin()).bind(3, r.kind());
    bool fresh = take.step();
    take.reset();
    if (!fresh || r.origin().empty()) continue;
    auto slash = r.origin().find('/');
    std::string child = r.origin().substr(0, slash);
    std::string rest = slash == std::string::npos ? "" : r.origin().substr(slash + 1);
    auto unit = db_->prepare("SELECT id FROM units WHERE name = ? AND revoked = FALSE");
    unit.bind(1, child);
    if (!unit.step()) continue;  // no such unit (any more): nothing to relay
    int64_t unit_id = unit.column_int(0);
    unit.reset();
    auto relay = db_->prepare(
        "INSERT INTO unit_sweep_requests (unit_id, origin, kind, requested_at, requested_by) "
        "VALUES (?,?,?,?,?) RETURNING id");
    relay.bind(1, unit_id)
        .bind(2, rest)
        .bind(3, r.kind())
        .bind(4, now)
        .bind(5, "upper:" + r.requested_by());
    relay.step();
    int64_t relayed_id = relay.column_int(0);
    relay.reset();
    db_->prepare("UPDATE upstream_requests SET relayed_id = ? WHERE request_id = ?")
        .bind(1, relayed_id)
        .bind(2, static_cast<int64_t>(r.id()))
        .run();
  }
  tx.commit();
}

bool CascadeStore::has_unforwarded_incidents() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT EXISTS (SELECT 1 FROM status_history WHERE id > (SELECT incident_cursor FROM "
      "upstream_state WHERE id = 1) AND to_status = 'fail' AND severity = 'critical') OR "
      "EXISTS (SELECT 1 FROM unit_incidents WHERE id > (SELECT unit_incident_cursor FROM "
      "upstream_state WHERE id = 1))");
  st.step();
  return st.column_int(0) != 0;
}

std::vector<UpstreamSweepRequest> CascadeStore::sweeps_to_start() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT request_id, kind FROM upstream_requests WHERE origin = '' AND sweep_id IS NULL "
      "ORDER BY request_id");
  std::vector<UpstreamSweepRequest> out;
  while (st.step()) out.push_back({static_cast<uint64_t>(st.column_int(0)), st.column_text(1)});
  return out;
}

void CascadeStore::record_sweep_started(uint64_t request_id, uint64_t sweep_id) {
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE upstream_requests SET sweep_id = ? WHERE request_id = ?")
      .bind(1, static_cast<int64_t>(sweep_id))
      .bind(2, static_cast<int64_t>(request_id))
      .run();
}

uint64_t CascadeStore::acknowledged_seq() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT seq FROM upstream_state WHERE id = 1");
  st.step();
  return static_cast<uint64_t>(st.column_int(0));
}

}  // namespace warden::collector
