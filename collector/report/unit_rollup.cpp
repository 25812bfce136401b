#include "collector/report/unit_rollup.hpp"

#include <map>

#include "collector/admin/unit_messages.hpp"

namespace warden::collector {

namespace {

double rate(int64_t pass, int64_t judged) {
  return judged > 0 ? static_cast<double>(pass) / static_cast<double>(judged) : 1.0;
}

v1::SelfCheckReport::UnitCompliance report_unit(const domain::UnitCompliance& c) {
  v1::SelfCheckReport::UnitCompliance out;
  set_unit_figures(c.unit, &out);
  for (const auto& check : c.checks) {
    auto* r = out.add_checks();
    r->set_check(check.check);
    r->set_pass(check.pass);
    r->set_fail(check.fail);
    r->set_error(check.error);
    r->set_not_applicable(check.not_applicable);
    r->set_compliance_rate(rate(check.pass, int64_t{check.pass} + check.fail + check.error));
  }
  return out;
}

}  // namespace

void add_units(v1::SelfCheckReport& report, const std::vector<domain::UnitCompliance>& units) {
  auto* all = report.mutable_rolled_up();
  all->Clear();
  const auto& own = report.summary();
  all->set_ledger_hosts(report.scope().ledger_hosts());
  all->set_hosts(own.hosts());
  all->set_reporting(report.scope().reported_hosts());
  all->set_online(own.online());
  all->set_failing(own.failing_hosts());
  all->set_last_contact_ms(report.generated_at_ms());
  std::map<std::string, v1::SelfCheckReport::CheckResults> checks;
  auto add = [&](const v1::SelfCheckReport::CheckResults& c) {
    auto& sum = checks[c.check()];
    sum.set_check(c.check());
    sum.set_pass(sum.pass() + c.pass());
    sum.set_fail(sum.fail() + c.fail());
    sum.set_error(sum.error() + c.error());
    sum.set_not_applicable(sum.not_applicable() + c.not_applicable());
  };
  for (const auto& q : report.requirements()) add(q.results());
  for (const auto& unit : units) {
    auto u = report_unit(unit);
    all->set_ledger_hosts(all->ledger_hosts() + u.ledger_hosts());
    all->set_hosts(all->hosts() + u.hosts());
    all->set_reporting(all->reporting() + u.reporting());
    all->set_online(all->online() + u.online());
    all->set_failing(all->failing() + u.failing());
    for (const auto& c : u.checks()) add(c);
    *report.add_units() = std::move(u);
  }
  int64_t pass = 0, judged = 0;
  for (auto& [_, c] : checks) {
    int64_t j = c.pass() + c.fail() + c.error();
    c.set_compliance_rate(rate(c.pass(), j));
    pass += c.pass();
    judged += j;
    *all->add_checks() = c;
  }
  all->set_compliance_rate(rate(pass, judged));
}

}  // namespace warden::collector
