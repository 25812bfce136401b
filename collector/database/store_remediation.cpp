// Store: the problem list's remediation items (整改措施: measure, person responsible, deadline,
// status) and incidents with what admins fill in about them (place, service, impact, cause,
// handling, reporter, report time). Validation is the admin service's
// (collector/admin_service.cpp).
#include <algorithm>

#include "collector/database/department_scope.hpp"
#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"

namespace warden::collector {

namespace {

constexpr const char* kItemColumns =
    "SELECT ri.id, h.agent_id, h.hostname, h.department, h.owner, ri.check_id, ri.measure, "
    "ri.person, ri.deadline, ri.status, ri.note, ri.created_at, ri.updated_at, ri.closed_at, "
    "ri.created_by, ri.closed_by, coalesce(r.status, '') "
    "FROM remediation_items ri JOIN hosts h ON h.id = ri.host_id "
    "LEFT JOIN latest_results r ON r.host_id = ri.host_id AND r.check_id = ri.check_id ";

// Every transition into a failing critical result is an incident, with what was seen then and
// what admins filled in since.
constexpr const char* kIncidentColumns =
    "SELECT sh.at, h.agent_id, h.hostname, "
    " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
    "h.peer_address), "
    " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
    "''), "
    " h.owner, h.department, h.os_name, sh.check_id, sh.summary, sh.evidence_json, "
    " coalesce(r.status, ''), sh.summary_key, sh.id, coalesce(d.location, ''), "
    " coalesce(d.service, ''), coalesce(d.impact, ''), coalesce(d.cause, ''), "
    " coalesce(d.handling, ''), coalesce(d.reporter, ''), coalesce(d.reported_at, 0), "
    " coalesce(d.updated_by, ''), coalesce(d.updated_at, 0) "
    "FROM status_history sh JOIN hosts h ON h.id = sh.host_id "
    "LEFT JOIN latest_results r ON r.host_id = sh.host_id AND r.check_id = sh.check_id "
    "LEFT JOIN incident_details d ON d.history_id = sh.id "
    "WHERE sh.to_status = 'fail' AND sh.severity = 'critical' ";

}  // namespace

std::vector<domain::RemediationItem> Store::remediation_locked(
    const std::string& where, const std::function<void(storage::Statement&)>& bind) {
  auto st = db_->prepare(std::string(kItemColumns) + where);
  bind(st);
  const int64_t now = clock_.now_ms();
  std::vector<domain::RemediationItem> out;
  while (st.step()) {
    auto& i = out.emplace_back();
    i.id = st.column_int(0);
    i.agent_id = st.column_text(1);
    i.hostname = st.column_text(2);
    i.department = st.column_text(3);
    i.owner = st.column_text(4);
    i.check = st.column_text(5);
    i.measure = st.column_text(6);
    i.person = st.column_text(7);
    i.deadline_ms = st.column_int(8);
    i.status = st.column_text(9);
    i.note = st.column_text(10);
    i.created_at_ms = st.column_int(11);
    i.updated_at_ms = st.column_int(12);
    if (!st.column_is_null(13)) i.closed_at_ms = st.column_int(13);
    i.created_by = st.column_text(14);
    i.closed_by = st.column_text(15);
    i.result = st.column_text(16);
    i.overdue = i.status == "open" && i.deadline_ms <= now;
  }
  return out;
}

std::optional<std::pair<std::string, int64_t>> Store::latest_result(int64_t host_id,
                                                                    const std::string& check) {
  std::lock_guard lock(mu_);
  auto st =
      db_->prepare("SELECT status, since FROM latest_results WHERE host_id = ? AND check_id = ?");
  st.bind(1, host_id).bind(2, check);
  if (!st.step()) return std::nullopt;
  return std::make_pair(st.column_text(0), st.column_int(1));
}

domain::RemediationItem Store::set_remediation(int64_t host_id, const std::string& check,
                                               const std::string& measure,
                                               const std::string& person, int64_t deadline_ms,
                                               const std::string& note, const std::string& actor) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  const int64_t now = clock_.now_ms();
  auto open = db_->prepare(
      "SELECT id FROM remediation_items WHERE host_id = ? AND check_id = ? AND status = 'open'");
  open.bind(1, host_id).bind(2, check);
  int64_t id = 0;
  bool created = false;
  if (open.step()) {
    id = open.column_int(0);
    db_->prepare(
           "UPDATE remediation_items SET measure = ?, person = ?, deadline = ?, note = ?, "
           "updated_at = ? WHERE id = ?")
        .bind(1, measure)
        .bind(2, person)
        .bind(3, deadline_ms)
        .bind(4, note)
        .bind(5, now)
        .bind(6, id)
        .run();
  } else {
    auto ins = db_->prepare(
        "INSERT INTO remediation_items (host_id, check_id, measure, person, deadline, status, "
        "note, created_at, updated_at, created_by) VALUES (?,?,?,?,?,'open',?,?,?,?) RETURNING id");
    ins.bind(1, host_id)
        .bind(2, check)
        .bind(3, measure)
        .bind(4, person)
        .bind(5, deadline_ms)
        .bind(6, note)
        .bind(7, now)
        .bind(8, now)
        .bind(9, actor.empty() ? std::string("admin") : actor);
    if (!ins.step()) throw Failure(internal("the remediation item was not stored"));
    id = ins.column_int(0);
    created = true;
  }
  auto items = remediation_locked("WHERE ri.id = ?", [&](storage::Statement& s) { s.bind(1, id); });
  if (items.empty()) throw Failure(internal("the remediation item was not stored"));
  audit_locked(actor, "remediation.set",
               {{"id", id},
                {"created", created},
                {"agent_id", items[0].agent_id},
                {"hostname", items[0].hostname},
                {"check", check},
                {"measure", measure},
                {"person", person},
                {"deadline", format_civil_date(time_zone_.date_at(deadline_ms - 1))},
                {"note", note}});
  tx.commit();
  return items[0];
}

domain::RemediationItem Store::close_remediation(int64_t host_id, const std::string& check,
                                                 const std::string& note,
                                                 const std::string& actor) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto open = db_->prepare(
      "SELECT id FROM remediation_items WHERE host_id = ? AND check_id = ? AND status = 'open'");
  open.bind(1, host_id).bind(2, check);
  if (!open.step())
    throw Failure(not_found("there is no open remediation item for " + check + " on this host"));
  const int64_t id = open.column_int(0);
  const int64_t now = clock_.now_ms();
  db_->prepare(
         "UPDATE remediation_items SET status = 'closed', closed_at = ?, closed_by = ?, "
         "updated_at = ? WHERE id = ?")
      .bind(1, now)
      .bind(2, actor.empty() ? std::string("admin") : actor)
      .bind(3, now)
      .bind(4, id)
      .run();
  if (!note.empty())
    db_->prepare("UPDATE remediation_items SET note = ? WHERE id = ?")
        .bind(1, note)
        .bind(2, id)
        .run();
  auto items = remediation_locked("WHERE ri.id = ?", [&](storage::Statement& s) { s.bind(1, id); });
  if (items.empty()) throw Failure(internal("the remediation item disappeared"));
  audit_locked(actor, "remediation.close",
               {{"id", id},
                {"agent_id", items[0].agent_id},
                {"hostname", items[0].hostname},
                {"check", check},
                {"result", items[0].result},
                {"note", note}});
  tx.commit();
  return items[0];
}

std::vector<domain::RemediationItem> Store::list_remediation(
    const domain::RemediationFilter& filter) {
  std::lock_guard lock(mu_);
  std::string where = "WHERE 1 = 1";
  if (!filter.include_closed || filter.overdue_only) where += " AND ri.status = 'open'";
  if (filter.overdue_only) where += " AND ri.deadline <= ?";
  where += " ORDER BY ri.deadline, h.hostname, ri.check_id, ri.id";
  auto all = remediation_locked(where, [&](storage::Statement& s) {
    if (filter.overdue_only) s.bind(1, clock_.now_ms());
  });
  std::vector<domain::RemediationItem> out;
  for (auto& i : all)
    if (in_department_subtree(i.department, filter.department)) out.push_back(std::move(i));
  // Overdue first (by deadline), then open, then closed.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    auto rank = [](const domain::RemediationItem& i) {
      return i.overdue ? 0 : i.status == "open" ? 1 : 2;
    };
    return rank(a) < rank(b);
  });
  return out;
}

std::vector<domain::Incident> Store::incidents_locked(
    const std::string& where, const std::function<void(storage::Statement&)>& bind) {
  auto st = db_->prepare(std::string(kIncidentColumns) + where);
  bind(st);
  std::vector<domain::Incident> out;
  while (st.step()) {
    auto& i = out.emplace_back();
    i.at_ms = st.column_int(0);
    i.agent_id = st.column_text(1);
    i.hostname = st.column_text(2);
    i.ip = st.column_text(3);
    i.mac = st.column_text(4);
    i.owner = st.column_text(5);
    i.department = st.column_text(6);
    i.os = st.column_text(7);
    i.check = st.column_text(8);
    i.summary = st.column_text(9);
    i.evidence_json = st.column_text(10);
    i.status = st.column_text(11);
    i.summary_key = st.column_text(12);
    i.id = st.column_int(13);
    i.location = st.column_text(14);
    i.service = st.column_text(15);
    i.impact = st.column_text(16);
    i.cause = st.column_text(17);
    i.handling = st.column_text(18);
    i.reporter = st.column_text(19);
    i.reported_at_ms = st.column_int(20);
    i.updated_by = st.column_text(21);
    i.updated_at_ms = st.column_int(22);
  }
  return out;
}

std::vector<domain::Incident> Store::list_incidents(int64_t since_ms, int64_t until_ms,
                                                    const std::string& department) {
  std::lock_guard lock(mu_);
  auto all =
      incidents_locked(until_ms > 0 ? "AND sh.at >= ? AND sh.at < ? ORDER BY sh.at DESC, sh.id DESC"
                                    : "AND sh.at >= ? ORDER BY sh.at DESC, sh.id DESC",
                       [&](storage::Statement& s) {
                         s.bind(1, since_ms);
                         if (until_ms > 0) s.bind(2, until_ms);
                       });
  if (department.empty()) return all;
  std::vector<domain::Incident> out;
  for (auto& i : all)
    if (in_department_subtree(i.department, department)) out.push_back(std::move(i));
  return out;
}

std::vector<domain::Incident> Store::incidents_after(int64_t after_id, int limit) {
  std::lock_guard lock(mu_);
  return incidents_locked("AND sh.id > ? ORDER BY sh.id LIMIT ?", [&](storage::Statement& s) {
    s.bind(1, after_id);
    s.bind(2, static_cast<int64_t>(limit));
  });
}

int64_t Store::last_history_id() {
  std::lock_guard lock(mu_);
  return db_->scalar_int("SELECT coalesce(max(id), 0) FROM status_history");
}

std::string Store::setting(const std::string& key, const std::string& fallback) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  return st.step() ? st.column_text(0) : fallback;
}

void Store::set_setting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  db_->prepare(
         "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
         "excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

domain::Incident Store::update_incident(const domain::IncidentUpdate& update,
                                        const std::string& actor) {
  std::lock_guard lock(mu_);
  storage::Transaction tx(*db_);
  auto by_id = [&] {
    return incidents_locked("AND sh.id = ?", [&](storage::Statement& s) { s.bind(1, update.id); });
  };
  auto found = by_id();
  if (found.empty())
    throw Failure(not_found("there is no incident " + std::to_string(update.id) +
                            " (see wardenctl incidents for their IDs)"));
  domain::Incident i = std::move(found[0]);
  nlohmann::json changed = nlohmann::json::object();
  auto take = [&](const std::optional<std::string>& value, const char* key, std::string& field) {
    if (!value) return;
    field = *value;
    changed[key] = *value;
  };
  take(update.location, "location", i.location);
  take(update.service, "service", i.service);
  take(update.impact, "impact", i.impact);
  take(update.cause, "cause", i.cause);
  take(update.handling, "handling", i.handling);
  take(update.reporter, "reporter", i.reporter);
  const int64_t now = clock_.now_ms();
  if (update.reported_at_ms) {
    i.reported_at_ms = *update.reported_at_ms;
    changed["reported_at_ms"] = *update.reported_at_ms;
  } else if (update.reporter && !i.reporter.empty() && i.reported_at_ms == 0) {
    i.reported_at_ms = now;  // a reporter named without a time: reported now
  }
  const std::string who = actor.empty() ? std::string("admin") : actor;
  db_->prepare(
         "INSERT INTO incident_details (history_id, at, location, service, impact, cause, "
         "handling, reporter, reported_at, updated_at, updated_by) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (history_id) DO UPDATE "
         "SET location = excluded.location, service = excluded.service, impact = excluded.impact, "
         "cause = excluded.cause, handling = excluded.handling, reporter = excluded.reporter, "
         "reported_at = excluded.reported_at, updated_at = excluded.updated_at, "
         "updated_by = excluded.updated_by")
      .bind(1, i.id)
      .bind(2, i.at_ms)
      .bind(3, i.location)
      .bind(4, i.service)
      .bind(5, i.impact)
      .bind(6, i.cause)
      .bind(7, i.handling)
      .bind(8, i.reporter)
      .bind(9, i.reported_at_ms)
      .bind(10, now)
      .bind(11, who)
      .run();
  audit_locked(actor, "incident.update",
               {{"id", i.id},
                {"agent_id", i.agent_id},
                {"hostname", i.hostname},
                {"check", i.check},
                {"changed", changed}});
  auto after = by_id();
  tx.commit();
  return after.at(0);
}

}  // namespace warden::collector
