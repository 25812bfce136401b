#include "collector/admin/host_messages.hpp"

#include "collector/admin/finding_messages.hpp"
#include "collector/ledger/ledger_csv.hpp"
#include "common/error.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

void check(const std::string& error) {
  if (!error.empty()) throw Failure(invalid(error));
}

std::string classification(const std::string& text) {
  auto normalised = normalize_classification(text);
  if (!normalised || text.empty())
    throw Failure(invalid("classification must be general or classified"));
  return *normalised;
}

}  // namespace

domain::HostDescription from_message(const v1::HostInfo& info) {
  return {info.hostname(), info.os_id(), info.os_name(),    info.os_version(),
          info.kernel(),   info.arch(),  info.machine_id(), info.agent_version()};
}

v1::HostInfo to_message(const domain::HostDescription& d) {
  v1::HostInfo out;
  out.set_hostname(d.hostname);
  out.set_os_id(d.os_id);
  out.set_os_name(d.os_name);
  out.set_os_version(d.os_version);
  out.set_kernel(d.kernel);
  out.set_arch(d.arch);
  out.set_machine_id(d.machine_id);
  out.set_agent_version(d.agent_version);
  return out;
}

v1::HostSummary to_message(const domain::HostSummary& h) {
  v1::HostSummary out;
  out.set_agent_id(h.agent_id);
  out.set_hostname(h.hostname);
  out.set_department(h.department);
  out.set_online(h.online);
  out.set_last_seen_ms(h.last_seen_ms);
  for (const auto& c : h.failing) out.add_failing(c);
  out.set_os_name(h.os_name);
  out.set_peer_address(h.peer_address);
  out.set_revoked(h.revoked);
  out.set_enrolled_at_ms(h.enrolled_at_ms);
  out.set_owner(h.owner);
  out.set_classification(h.classification);
  return out;
}

v1::GetHostResponse to_message(const domain::HostDetail& detail) {
  v1::GetHostResponse out;
  *out.mutable_host() = to_message(detail.host);
  *out.mutable_info() = to_message(detail.description);
  for (const auto& f : detail.findings) *out.add_findings() = to_message(f);
  out.set_cert_serial(detail.cert_serial);
  out.set_facts_json(detail.facts_json);
  return out;
}

v1::GetStatusResponse to_message(const domain::FleetStatus& status) {
  v1::GetStatusResponse out;
  out.set_hosts_total(status.hosts_total);
  out.set_hosts_online(status.hosts_online);
  out.set_hosts_offline(status.hosts_offline);
  out.set_hosts_revoked(status.hosts_revoked);
  out.set_hosts_failing(status.hosts_failing);
  for (const auto& c : status.checks) {
    auto* m = out.add_checks();
    m->set_check(c.check);
    m->set_pass(c.pass);
    m->set_fail(c.fail);
    m->set_error(c.error);
    m->set_not_applicable(c.not_applicable);
  }
  for (const auto& d : status.departments) {
    auto* m = out.add_departments();
    m->set_department(d.department);
    m->set_hosts(d.hosts);
    m->set_online(d.online);
    m->set_failing(d.failing);
  }
  return out;
}

v1::HostHistoryResponse to_message(const domain::HostHistory& history) {
  v1::HostHistoryResponse out;
  *out.mutable_host() = to_message(history.host);
  for (const auto& c : history.changes) {
    auto* e = out.add_history();
    e->set_check(c.check);
    e->set_from_status(c.from_status);
    e->set_to_status(c.to_status);
    e->set_at_ms(c.at_ms);
    e->set_sweep_id(c.sweep_id);
    e->set_summary(c.summary);
    e->set_summary_key(c.summary_key);
    e->set_evidence_json(c.evidence_json);
  }
  return out;
}

domain::HostFilter host_filter_from(const v1::ListHostsRequest& request) {
  domain::HostFilter filter;
  if (!request.failing_check().empty())
    check(validate::identifier("check", request.failing_check()));
  filter.failing_check = request.failing_check();
  if (!request.department().empty()) check(validate::department(request.department()));
  filter.department = request.department();
  if (request.offline_for_seconds() < 0)
    throw Failure(invalid("the time offline cannot be negative"));
  filter.offline_for_seconds = request.offline_for_seconds();
  if (!request.classification().empty())
    filter.classification = classification(request.classification());
  return filter;
}

domain::HostChange host_change_from(const v1::SetHostRequest& request, const std::string& actor) {
  domain::HostChange change;
  change.host = request.agent_id_or_hostname();
  change.actor = actor;
  if (request.has_department()) {
    check(validate::department(request.department()));
    change.department = request.department();
  }
  if (request.has_owner()) {
    check(validate::text("owner", request.owner(), 128));
    change.owner = request.owner();
  }
  if (request.has_classification())
    change.classification = classification(request.classification());
  if (!change.department && !change.owner && !change.classification)
    throw Failure(invalid("nothing to change: give a department, an owner or a classification"));
  return change;
}

}  // namespace warden::collector
