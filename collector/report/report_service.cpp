#include "collector/report/report_service.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <unordered_map>

#include "collector/admin/incident_messages.hpp"
#include "collector/cascade/cascade_store.hpp"
#include "collector/database/store.hpp"
#include "collector/report/unit_rollup.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace warden::collector {

namespace {

// Pass, fail, error, not applicable.
using Counts = std::array<int64_t, 4>;

double rate(int64_t good, int64_t total) {
  return total == 0 ? 1.0 : static_cast<double>(good) / static_cast<double>(total);
}

size_t status_index(const std::string& status) {
  return status == "pass" ? 0 : status == "fail" ? 1 : status == "error" ? 2 : 3;
}

void set_results(v1::SelfCheckReport::CheckResults* r, const std::string& check, const Counts& c) {
  r->set_check(check);
  r->set_pass(c[0]);
  r->set_fail(c[1]);
  r->set_error(c[2]);
  r->set_not_applicable(c[3]);
  r->set_compliance_rate(rate(c[0], c[0] + c[1] + c[2]));
}

struct Tally {
  int64_t due = 0, fixed = 0, open = 0;
};

void set_tally(v1::SelfCheckReport::RemediationTally* t, const Tally& x) {
  t->set_failures_due(x.due);
  t->set_fixed_within_deadline(x.fixed);
  t->set_open_within_deadline(x.open);
  // A remediation rate means nothing before any failure is due: unset, not 100 %.
  if (x.due > 0) t->set_rate(rate(x.fixed, x.due));
}

}  // namespace

bool is_domestic_os(std::string_view os_id) {
  static constexpr std::array<std::string_view, 10> kDomestic = {
      "uos", "kylin", "openkylin", "deepin", "neokylin",
      "nfs", "isoft", "openeuler", "anolis", "opencloudos"};
  const std::string id = text::lower(os_id);
  return std::find(kDomestic.begin(), kDomestic.end(), id) != kDomestic.end();
}

Result<ReportScope> resolve_period(const ReportRequest& req, const TimeZone& zone, int64_t now_ms) {
  ReportScope scope;
  scope.department = req.department;
  auto bound = [&](const std::string& date, int64_t ms, const char* what) -> Result<int64_t> {
    if (date.empty()) return ms;
    auto d = parse_civil_date(date);
    if (!d)
      return Error{ErrorKind::invalid,
                   std::string(what) + " date \"" + date + "\" is not a date (YYYY-MM-DD)"};
    return zone.start_of(*d);
  };
  auto from = bound(req.from_date, req.from_ms, "the start");
  if (!from) return from.error();
  auto to = bound(req.to_date, req.to_ms, "the end");
  if (!to) return to.error();
  if (*from == 0 && *to == 0) {
    // The last full calendar month, local time.
    CivilDate today = zone.date_at(now_ms);
    CivilDate this_month{today.year, today.month, 1};
    CivilDate last_month = today.month == 1 ? CivilDate{today.year - 1, 12, 1}
                                            : CivilDate{today.year, today.month - 1, 1};
    scope.from_ms = zone.start_of(last_month);
    scope.to_ms = zone.start_of(this_month);
    return scope;
  }
  if (*from == 0) return Error{ErrorKind::invalid, "the report period needs a start date"};
  // A start alone: up to the end of today.
  scope.from_ms = *from;
  scope.to_ms = *to != 0 ? *to : zone.start_of(add_days(zone.date_at(now_ms), 1));
  if (scope.to_ms <= scope.from_ms)
    return Error{ErrorKind::invalid, "the report period must end after it starts"};
  return scope;
}

v1::SelfCheckReport assemble_report(const ReportInputs& in, const ReportScope& scope,
                                    int64_t now_ms, const std::set<std::string>& online,
                                    const std::function<int(const std::string&)>& deadline_days,
                                    const TimeZone& zone, const UnitInfo& unit) {
  v1::SelfCheckReport out;
  auto* u = out.mutable_unit();
  u->set_name(unit.name);
  u->set_person_responsible(unit.person_responsible);
  u->set_contact(unit.contact);
  u->set_phone(unit.phone);
  out.set_generated_at_ms(now_ms);
  out.set_time_zone(zone.name());
  out.mutable_period()->set_from_ms(scope.from_ms);
  out.mutable_period()->set_to_ms(scope.to_ms);
  out.mutable_period()->set_from_date(format_civil_date(zone.date_at(scope.from_ms)));
  out.mutable_period()->set_last_date(format_civil_date(zone.date_at(scope.to_ms - 1)));
  out.set_department(scope.department);

  std::unordered_map<int64_t, const ReportHost*> hosts;  // the hosts in scope, by ID
  std::map<std::string, int64_t> hosts_per_department;
  for (const auto& h : in.hosts) {
    hosts[h.host_id] = &h;
    ++hosts_per_department[h.department];
  }

  // Compliance per department and check, from the latest results.
  std::map<std::string, std::map<std::string, Counts>> counts;  // department -> check -> counts
  for (const auto& c : in.result_counts)
    counts[c.department][c.check][status_index(c.status)] += c.hosts;
  int64_t all_pass = 0, all_judged = 0;
  for (const auto& [dept, checks] : counts) {
    auto* d = out.add_departments();
    d->set_department(dept);
    auto n = hosts_per_department.find(dept);
    d->set_hosts(n == hosts_per_department.end() ? 0 : n->second);
    int64_t dp = 0, dj = 0;
    for (const auto& [check, c] : checks) {
      set_results(d->add_checks(), check, c);
      dp += c[0];
      dj += c[0] + c[1] + c[2];
    }
    d->set_compliance_rate(rate(dp, dj));
    all_pass += dp;
    all_judged += dj;
  }

  // Per requirement: which rule and standard each check evidences, with the fleet's results.
  std::map<std::string, Counts> by_check_results;
  for (const auto& [dept, checks] : counts)
    for (const auto& [check, c] : checks)
      for (size_t i = 0; i < 4; ++i) by_check_results[check][i] += c[i];
  auto add_requirement = [&](const std::string& check, const catalog::CheckEntry* entry) {
    auto* q = out.add_requirements();
    if (entry) {
      q->set_rule(entry->rule.en);
      q->set_standard(entry->standard.en);
      q->set_clause(entry->standard_clause);
    }
    auto it = by_check_results.find(check);
    set_results(q->mutable_results(), check, it == by_check_results.end() ? Counts{} : it->second);
  };
  // Every check of the catalogue, in its order (by rule), then checks it does not know yet.
  for (const auto& e : catalog::checks()) add_requirement(e.id, &e);
  for (const auto& [check, _] : by_check_results)
    if (!catalog::find(check)) add_requirement(check, nullptr);

  int64_t failing_hosts = 0;
  for (const auto& h : in.hosts) {
    if (h.failing_checks.empty()) continue;
    ++failing_hosts;
    auto* f = out.add_failing_hosts();
    f->set_hostname(h.hostname);
    f->set_agent_id(h.agent_id);
    f->set_department(h.department);
    f->set_owner(h.owner);
    f->set_ip(h.ip);
    f->set_mac(h.mac);
    f->set_os(h.os);
    f->set_classification(h.classification);
    for (const auto& c : h.failing_checks) f->add_failing_checks(c);
  }

  // Remediation: failures that began in the period, fixed within their department's deadline.
  std::map<std::string, int> deadlines;
  auto deadline_for = [&](const std::string& dept) {
    auto it = deadlines.find(dept);
    if (it != deadlines.end()) return it->second;
    return deadlines[dept] = deadline_days(dept);
  };
  Tally total;
  std::map<std::string, Tally> by_dept, by_check;
  for (const auto& f : in.failures) {
    auto it = hosts.find(f.host_id);
    if (it == hosts.end()) continue;
    const ReportHost& h = *it->second;
    int64_t deadline = f.began_ms + static_cast<int64_t>(deadline_for(h.department)) * kDayMs;
    bool fixed_in_time = f.ended_ms && *f.ended_ms <= deadline;
    bool due = fixed_in_time || deadline <= now_ms;
    for (Tally* t : {&total, &by_dept[h.department], &by_check[f.check]}) {
      if (due) {
        ++t->due;
        t->fixed += fixed_in_time;
      } else {
        ++t->open;
      }
    }
    if (f.check.rfind("usb.", 0) == 0) {
      auto* v = out.add_usb_violations();
      v->set_at_ms(f.began_ms);
      v->set_hostname(h.hostname);
      v->set_owner(h.owner);
      v->set_department(h.department);
      v->set_classification(h.classification);
      v->set_check(f.check);
    }
  }
  auto* rem = out.mutable_remediation();
  set_tally(rem->mutable_overall(), total);
  for (const auto& [dept, t] : by_dept) {
    auto* d = rem->add_by_department();
    d->set_department(dept);
    set_tally(d->mutable_tally(), t);
  }
  for (const auto& [check, t] : by_check) {
    auto* c = rem->add_by_check();
    c->set_check(check);
    set_tally(c->mutable_tally(), t);
  }
  rem->set_target(kRemediationTarget);

  // Identity events in the period: hostnames and machines that changed, and enrollments that
  // duplicated a live host's name or machine (clone or impersonation).
  for (const auto& e : in.identity_events) {
    auto it = hosts.find(e.host_id);
    if (it == hosts.end()) continue;
    auto* x = out.add_identity_events();
    x->set_at_ms(e.at_ms);
    x->set_kind(e.kind);
    x->set_hostname(it->second->hostname);
    x->set_agent_id(it->second->agent_id);
    x->set_department(it->second->department);
    x->set_details_json(e.data_json);
  }

  int64_t on = 0;
  for (const auto& h : in.hosts) {
    if (online.count(h.agent_id)) {
      ++on;
      continue;
    }
    auto* o = out.add_offline_hosts();
    o->set_hostname(h.hostname);
    o->set_agent_id(h.agent_id);
    o->set_department(h.department);
    o->set_owner(h.owner);
    o->set_last_seen_ms(h.last_seen_ms);
  }

  // Trend: per local day the period touches, the findings reported and how many failed.
  std::map<int64_t, std::pair<int64_t, int64_t>> days;
  for (const auto& d : in.days) {
    auto& v = days[d.day];
    v.first += d.findings;
    v.second += d.failing;
  }
  for (const auto& [day, v] : days) {
    auto* t = out.add_trend();
    const CivilDate date = date_of_day_number(day);
    t->set_day_ms(zone.start_of(date));
    t->set_date(format_civil_date(date));
    t->set_findings(v.first);
    t->set_failing(v.second);
    t->set_compliance_rate(rate(v.first - v.second, v.first));
  }

  // Scope: 应查 (the ledger) against 实查 (the live hosts that reported in the period).
  std::set<std::string> reported_names;
  int64_t reported = 0;
  for (int64_t id : in.reported_host_ids) {
    auto it = hosts.find(id);
    if (it == hosts.end()) continue;
    ++reported;
    reported_names.insert(text::lower(it->second->hostname));
  }
  std::set<std::string> ledger_names;
  auto* scope_out = out.mutable_scope();
  scope_out->set_ledger_hosts(static_cast<int64_t>(in.ledger.size()));
  scope_out->set_reported_hosts(reported);
  int64_t ledger_reported = 0;
  for (const auto& l : in.ledger) {
    ledger_names.insert(text::lower(l.hostname));
    if (reported_names.count(text::lower(l.hostname))) {
      ++ledger_reported;
      continue;
    }
    auto* n = scope_out->add_never_reported();
    n->set_hostname(l.hostname);
    n->set_ip(l.ip);
    n->set_mac(l.mac);
    n->set_department(l.department);
    n->set_owner(l.owner);
  }
  scope_out->set_ledger_reported(ledger_reported);
  int64_t outside = 0;
  for (const auto& name : reported_names) outside += ledger_names.count(name) == 0;
  scope_out->set_reported_outside_ledger(outside);

  // Antivirus products and OS versions in use, by hosts; the share of domestic systems.
  const double live = static_cast<double>(in.hosts.size());
  auto shares = [&](const std::map<std::string, std::pair<int64_t, bool>>& counts,
                    google::protobuf::RepeatedPtrField<v1::SelfCheckReport::Share>* into) {
    std::vector<std::pair<std::string, std::pair<int64_t, bool>>> sorted(counts.begin(),
                                                                         counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    for (const auto& [name, c] : sorted) {
      auto* x = into->Add();
      x->set_name(name);
      x->set_hosts(c.first);
      x->set_share(live > 0 ? static_cast<double>(c.first) / live : 0.0);
      x->set_domestic(c.second);
    }
  };
  std::map<std::string, std::pair<int64_t, bool>> av_counts, os_counts;
  for (const auto& a : in.antivirus)
    if (hosts.count(a.host_id) && !a.product.empty()) ++av_counts[a.product].first;
  int64_t domestic = 0;
  for (const auto& h : in.hosts) {
    const bool d = is_domestic_os(h.os_id);
    domestic += d;
    auto& c = os_counts[h.os.empty() ? h.os_id : h.os];
    ++c.first;
    c.second = d;
  }
  shares(av_counts, out.mutable_antivirus_products());
  shares(os_counts, out.mutable_os_versions());
  out.set_domestic_os_share(live > 0 ? static_cast<double>(domestic) / live : 0.0);

  // The problem list: every failing host/check in scope with its open remediation item, and
  // the open items whose check no longer fails (ready to be closed). A closed item is history:
  // when its check fails again, the failure is a problem again, without a measure until one is
  // set.
  std::map<std::pair<int64_t, std::string>, v1::SelfCheckReport::Problem> problems;
  auto problem_for = [&](int64_t host_id,
                         const std::string& check) -> v1::SelfCheckReport::Problem& {
    auto& p = problems[{host_id, check}];
    if (p.check().empty()) {
      const ReportHost& h = *hosts.at(host_id);
      p.set_hostname(h.hostname);
      p.set_agent_id(h.agent_id);
      p.set_department(h.department);
      p.set_owner(h.owner);
      p.set_check(check);
    }
    return p;
  };
  for (const auto& f : in.failing_results) {
    if (!hosts.count(f.host_id)) continue;
    auto& p = problem_for(f.host_id, f.check);
    p.set_result(f.status);
    p.set_since_ms(f.since_ms);
  }
  for (const auto& r : in.remediation_items) {
    if (!hosts.count(r.host_id)) continue;
    auto& p = problem_for(r.host_id, r.check);
    p.set_result(r.result);
    p.set_since_ms(r.since_ms);
    p.set_measure(r.measure);
    p.set_person(r.person);
    p.set_note(r.note);
    p.set_deadline_ms(r.deadline_ms);
    p.set_deadline_date(format_civil_date(zone.date_at(r.deadline_ms - 1)));
    p.set_status("open");
    p.set_overdue(r.deadline_ms <= now_ms);
  }
  std::vector<v1::SelfCheckReport::Problem> sorted_problems;
  for (auto& [_, p] : problems) sorted_problems.push_back(std::move(p));
  std::stable_sort(sorted_problems.begin(), sorted_problems.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(a.department(), a.hostname(), a.check()) <
                            std::tie(b.department(), b.hostname(), b.check());
                   });
  for (auto& p : sorted_problems) *out.add_problems() = std::move(p);

  // Incidents of the period (oldest first) with what admins filled in, and the unit.
  for (auto i = in.incidents.rbegin(); i != in.incidents.rend(); ++i) {
    auto* x = out.add_incidents();
    *x = to_message(*i);
    x->set_unit(unit.name);
  }

  auto* sum = out.mutable_summary();
  sum->set_hosts(static_cast<int64_t>(in.hosts.size()));
  sum->set_online(on);
  sum->set_offline(static_cast<int64_t>(in.hosts.size()) - on);
  sum->set_failing_hosts(failing_hosts);
  sum->set_compliance_rate(rate(all_pass, all_judged));
  if (total.due > 0) sum->set_remediation_rate(rate(total.fixed, total.due));
  return out;
}

v1::SelfCheckReport ReportService::build(const ReportRequest& req,
                                         const std::set<std::string>& online) {
  const int64_t now = clock_.now_ms();
  const TimeZone zone = store_.time_zone();
  auto scope = resolve_period(req, zone, now);
  if (!scope) throw Failure(scope.error());
  auto deadline_days = [&](const std::string& dept) {
    return store_.effective_policy_for(dept).remediation_deadline_days;
  };
  if (!req.unit.empty()) {  // a unit below, from what it last forwarded
    if (!cascade_)
      throw Failure(not_found("no unit named '" + req.unit + "' below this collector"));
    auto ref = cascade_->resolve(req.unit);
    auto forwarded = cascade_->unit_report_inputs(ref, scope->from_ms, scope->to_ms);
    auto report = assemble_report(forwarded.inputs, *scope, now, forwarded.online, deadline_days,
                                  zone, UnitInfo{ref.path, "", "", ""});
    report.mutable_scope()->set_ledger_hosts(forwarded.ledger_hosts);  // its size, not its list
    report.mutable_forwarded()->set_unit(ref.path);
    report.mutable_forwarded()->set_last_contact_ms(forwarded.last_contact_ms);
    return report;
  }
  ReportInputs in = store_.report_inputs(scope->from_ms, scope->to_ms, scope->department);
  auto report = assemble_report(in, *scope, now, online, deadline_days, zone, unit_);
  if (cascade_ && scope->department.empty()) {
    auto units = cascade_->unit_compliance();
    if (!units.empty()) add_units(report, units);
    // The units' incidents of the period, each naming its unit's path, with what was filled in
    // where it happened; in time order with this unit's own.
    auto below = cascade_->unit_incidents(scope->from_ms);
    if (!below.empty()) {
      std::vector<v1::Incident> all(report.incidents().begin(), report.incidents().end());
      for (const auto& i : below)
        if (i.at_ms < scope->to_ms) all.push_back(to_message(i));
      std::stable_sort(all.begin(), all.end(),
                       [](const auto& a, const auto& b) { return a.at_ms() < b.at_ms(); });
      report.clear_incidents();
      for (auto& i : all) *report.add_incidents() = std::move(i);
    }
  }
  return report;
}

}  // namespace warden::collector
