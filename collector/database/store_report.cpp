// Store: the periodic self-check report (docs/reports.md describes every field).
#include <array>
#include <map>

#include "collector/database/store.hpp"
#include "collector/database/store_rows.hpp"
#include "collector/report/check_requirements.hpp"
#include "common/duration.hpp"

namespace warden::collector {

namespace {
double rate(int64_t good, int64_t total) {
  return total == 0 ? 1.0 : static_cast<double>(good) / static_cast<double>(total);
}
// A remediation rate means nothing before any failure is due: null, not 100 %.
nlohmann::json due_rate(int64_t fixed, int64_t due) {
  return due == 0 ? nlohmann::json(nullptr) : nlohmann::json(rate(fixed, due));
}
bool in_subtree(const std::string& dept, const std::string& root) {
  return root.empty() || dept == root || dept.rfind(root + "/", 0) == 0;
}
}  // namespace

nlohmann::json Store::report(int64_t from_ms, int64_t to_ms, const std::string& department,
                             const std::set<std::string>& online) {
  using nlohmann::json;
  if (to_ms <= from_ms) throw Failure(invalid("the report period must end after it starts"));
  std::lock_guard lock(mu_);
  int64_t now = clock_.now_ms();
  json out = {{"generated_at", format_time_utc(now)},
              {"period", {{"from", format_time_utc(from_ms)}, {"to", format_time_utc(to_ms)}}},
              {"department", department}};

  // Hosts in scope.
  struct Host {
    std::string agent_id, hostname, department, owner, classification, ip, mac, os;
    int64_t last_seen = 0;
    std::string failing;  // comma separated
  };
  std::map<int64_t, Host> hosts;
  auto hs = db_.prepare(
      "SELECT h.id, h.agent_id, h.hostname, h.department, h.owner, h.classification, "
      " coalesce((SELECT ip FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "h.peer_address), "
      " coalesce((SELECT mac FROM host_addresses a WHERE a.host_id = h.id ORDER BY ip LIMIT 1), "
      "''), "
      " h.os_name, coalesce(h.last_seen, h.enrolled_at), h.failing_checks FROM hosts h "
      "WHERE h.revoked = 0");
  while (hs.step()) {
    Host h{hs.column_text(1), hs.column_text(2), hs.column_text(3), hs.column_text(4),
           hs.column_text(5), hs.column_text(6), hs.column_text(7), hs.column_text(8),
           hs.column_int(9),  hs.column_text(10)};
    if (in_subtree(h.department, department)) hosts[hs.column_int(0)] = std::move(h);
  }

  // Compliance per department and check, from the latest results.
  std::map<std::string, std::map<std::string, std::array<int64_t, 4>>>
      counts;             // dept -> check -> p/f/e/na
  auto rs = db_.prepare(  // kept by the ingest path (schema migration 4)
      "SELECT department, check_id, status, hosts FROM result_counts WHERE hosts > 0");
  while (rs.step()) {
    std::string dept = rs.column_text(0);
    if (!in_subtree(dept, department)) continue;
    std::string status = rs.column_text(2);
    int idx = status == "pass" ? 0 : status == "fail" ? 1 : status == "error" ? 2 : 3;
    counts[dept][rs.column_text(1)][static_cast<size_t>(idx)] += rs.column_int(3);
  }
  json departments = json::array();
  int64_t all_pass = 0, all_judged = 0;
  for (const auto& [dept, checks] : counts) {
    json cj = json::array();
    int64_t dp = 0, dj = 0;
    for (const auto& [check, c] : checks) {
      int64_t judged = c[0] + c[1] + c[2];
      cj.push_back({{"check", check},
                    {"pass", c[0]},
                    {"fail", c[1]},
                    {"error", c[2]},
                    {"not_applicable", c[3]},
                    {"compliance_rate", rate(c[0], judged)}});
      dp += c[0];
      dj += judged;
    }
    int64_t n = 0;
    for (const auto& [_, h] : hosts) n += h.department == dept;
    departments.push_back(
        {{"department", dept}, {"hosts", n}, {"compliance_rate", rate(dp, dj)}, {"checks", cj}});
    all_pass += dp;
    all_judged += dj;
  }
  out["departments"] = departments;

  // Per requirement: which rule and standard each check evidences, with the fleet's results.
  std::map<std::string, std::array<int64_t, 4>> results_by_check;
  for (const auto& [dept, checks] : counts)
    for (const auto& [check, c] : checks)
      for (size_t i = 0; i < 4; ++i) results_by_check[check][i] += c[i];
  json requirements = json::array();
  auto requirement_row = [&](std::string_view check, std::string_view rule,
                             std::string_view standard) {
    auto c = results_by_check[std::string(check)];
    requirements.push_back({{"check", check},
                            {"rule", rule},
                            {"standard", standard},
                            {"pass", c[0]},
                            {"fail", c[1]},
                            {"error", c[2]},
                            {"not_applicable", c[3]},
                            {"compliance_rate", rate(c[0], c[0] + c[1] + c[2])}});
  };
  for (const auto& r : check_requirements()) requirement_row(r.check, r.rule, r.standard);
  for (const auto& [check, _] : results_by_check)  // checks of newer agents, without a mapping yet
    if (!requirement_for(check)) requirement_row(check, "", "");
  out["requirements"] = requirements;

  json failing_hosts = json::array();
  for (const auto& [id, h] : hosts) {
    if (h.failing.empty()) continue;
    json checks = rows::split_commas(h.failing);
    failing_hosts.push_back({{"hostname", h.hostname},
                             {"agent_id", h.agent_id},
                             {"department", h.department},
                             {"owner", h.owner},
                             {"ip", h.ip},
                             {"mac", h.mac},
                             {"os", h.os},
                             {"classification", h.classification},
                             {"failing", checks}});
  }
  out["failing_hosts"] = failing_hosts;

  // Remediation: failures that began in the period, fixed within their department's deadline.
  std::map<std::string, int> deadline_days;
  auto deadline_for = [&](const std::string& dept) {
    auto it = deadline_days.find(dept);
    if (it != deadline_days.end()) return it->second;
    return deadline_days[dept] = effective_policy_for(dept).remediation_deadline_days;
  };
  struct Tally {
    int64_t due = 0, fixed = 0, open = 0;
  };
  Tally total;
  std::map<std::string, Tally> by_dept, by_check;
  auto sh = db_.prepare(
      "SELECT f.host_id, f.check_id, f.at, (SELECT min(x.at) FROM status_history x WHERE x.host_id "
      "= f.host_id "
      " AND x.check_id = f.check_id AND x.at >= f.at AND x.id > f.id AND x.to_status <> 'fail') "
      "FROM status_history f WHERE f.to_status = 'fail' AND f.at >= ? AND f.at < ?");
  sh.bind(1, from_ms).bind(2, to_ms);
  json usb_violations = json::array();
  while (sh.step()) {
    auto it = hosts.find(sh.column_int(0));
    if (it == hosts.end()) continue;
    std::string check = sh.column_text(1);
    int64_t began = sh.column_int(2);
    int64_t deadline = began + static_cast<int64_t>(deadline_for(it->second.department)) * kDayMs;
    bool fixed_in_time = !sh.column_is_null(3) && sh.column_int(3) <= deadline;
    bool due = fixed_in_time || deadline <= now;
    for (Tally* t : {&total, &by_dept[it->second.department], &by_check[check]}) {
      if (due) {
        ++t->due;
        t->fixed += fixed_in_time;
      } else {
        ++t->open;
      }
    }
    if (check.rfind("usb.", 0) == 0)
      usb_violations.push_back({{"at", format_time_utc(began)},
                                {"hostname", it->second.hostname},
                                {"owner", it->second.owner},
                                {"department", it->second.department},
                                {"classification", it->second.classification},
                                {"check", check}});
  }
  auto tally_json = [&](const Tally& t) {
    return json{{"failures_due", t.due},
                {"fixed_within_deadline", t.fixed},
                {"open_within_deadline", t.open},
                {"rate", due_rate(t.fixed, t.due)}};
  };
  json rd = json::array(), rc = json::array();
  for (const auto& [d, t] : by_dept) {
    json j = tally_json(t);
    j["department"] = d;
    rd.push_back(j);
  }
  for (const auto& [c, t] : by_check) {
    json j = tally_json(t);
    j["check"] = c;
    rc.push_back(j);
  }
  out["remediation"] = {
      {"overall", tally_json(total)}, {"by_department", rd}, {"by_check", rc}, {"target", 0.95}};
  out["usb_violations"] = usb_violations;

  // Identity events in the period: hostnames and machines that changed, and enrollments that
  // duplicated a live host's name or machine (clone or impersonation).
  json identity_events = json::array();
  auto ie = db_.prepare(
      "SELECT e.host_id, e.kind, e.at, e.data_json FROM events e "
      "WHERE e.kind IN ('host.renamed', 'host.machine_changed', 'host.duplicate_identity') "
      "AND e.received_at >= ? AND e.received_at < ? ORDER BY e.received_at, e.id");
  ie.bind(1, from_ms).bind(2, to_ms);
  while (ie.step()) {
    auto h = hosts.find(ie.column_int(0));
    if (h == hosts.end()) continue;
    auto data = json::parse(ie.column_text(3), nullptr, false);
    identity_events.push_back({{"at", format_time_utc(ie.column_int(2))},
                               {"kind", ie.column_text(1)},
                               {"hostname", h->second.hostname},
                               {"agent_id", h->second.agent_id},
                               {"department", h->second.department},
                               {"details", data.is_discarded() ? json::object() : data}});
  }
  out["identity_events"] = identity_events;

  json offline = json::array();
  for (const auto& [_, h] : hosts)
    if (!online.count(h.agent_id))
      offline.push_back({{"hostname", h.hostname},
                         {"agent_id", h.agent_id},
                         {"department", h.department},
                         {"owner", h.owner},
                         {"last_seen", format_time_utc(h.last_seen)}});
  out["offline_hosts"] = offline;

  // Trend: per UTC day the period touches (whole days), the reports received from hosts then in
  // the department subtree, the findings they held and how many failed (kept by the ingest path).
  std::map<int64_t, std::pair<int64_t, int64_t>> days;
  auto tr = db_.prepare(
      "SELECT day, department, findings, failing FROM report_days WHERE day >= ? AND day <= ?");
  tr.bind(1, from_ms / kDayMs).bind(2, (to_ms - 1) / kDayMs);
  while (tr.step()) {
    if (!in_subtree(tr.column_text(1), department)) continue;
    auto& d = days[tr.column_int(0)];
    d.first += tr.column_int(2);
    d.second += tr.column_int(3);
  }
  json trend = json::array();
  for (const auto& [day, v] : days)
    trend.push_back({{"day", format_time_utc(day * kDayMs).substr(0, 10)},
                     {"findings", v.first},
                     {"failing", v.second},
                     {"compliance_rate", rate(v.first - v.second, v.first)}});
  out["trend"] = trend;

  int64_t on = 0;
  for (const auto& [_, h] : hosts) on += online.count(h.agent_id);
  out["summary"] = {{"hosts", hosts.size()},
                    {"online", on},
                    {"offline", static_cast<int64_t>(hosts.size()) - on},
                    {"failing_hosts", failing_hosts.size()},
                    {"compliance_rate", rate(all_pass, all_judged)},
                    {"remediation_rate", due_rate(total.fixed, total.due)}};
  return out;
}

}  // namespace warden::collector
