// What the report of one unit below reads at the level above: the unit's current state as it last
// forwarded it (unit_hosts, unit_results, unit_members) and its incidents of the period. The level
// above keeps no history of a unit, so this is the report's present-tense part; the unit files its
// full report itself (docs/cascade.md).
#include <map>

#include "collector/cascade/cascade_store.hpp"
#include "common/comma_list.hpp"
#include "common/text.hpp"

namespace warden::collector {

namespace {

// The /etc/os-release ID a forwarded OS name most likely comes from (the unit sends the name
// only), for the report's share of domestic systems.
std::string os_id_from_name(const std::string& name) {
  std::string n = text::lower(name);
  for (const auto& [needle, id] :
       std::vector<std::pair<std::string, std::string>>{{"openkylin", "openkylin"},
                                                        {"neokylin", "neokylin"},
                                                        {"kylin", "kylin"},
                                                        {"uniontech", "uos"},
                                                        {"uos", "uos"},
                                                        {"deepin", "deepin"},
                                                        {"openeuler", "openeuler"},
                                                        {"anolis", "anolis"},
                                                        {"opencloudos", "opencloudos"},
                                                        {"debian", "debian"},
                                                        {"ubuntu", "ubuntu"},
                                                        {"windows", "windows"}})
    if (n.find(needle) != std::string::npos) return id;
  return {};
}

}  // namespace

CascadeStore::UnitReportInputs CascadeStore::unit_report_inputs(const UnitRef& unit,
                                                                int64_t from_ms, int64_t to_ms) {
  std::lock_guard lock(mu_);
  UnitReportInputs out;
  auto& in = out.inputs;
  auto member = db_->prepare(
      "SELECT ledger_hosts, coalesce(last_contact_at, 0) FROM unit_members WHERE unit_id = ? AND "
      "origin = ?");
  member.bind(1, unit.id).bind(2, unit.origin);
  if (member.step()) {
    out.ledger_hosts = member.column_int(0);
    out.last_contact_ms = member.column_int(1);
  }
  member.reset();

  std::map<std::string, int64_t> ids;  // agent ID -> the report's host ID
  auto hosts = db_->prepare(
      "SELECT agent_id, hostname, department, owner, classification, ip, mac, os_name, "
      "coalesce(last_report_at, 0), failing_checks, online FROM unit_hosts WHERE unit_id = ? AND "
      "origin = ? AND revoked = FALSE ORDER BY agent_id");
  hosts.bind(1, unit.id).bind(2, unit.origin);
  while (hosts.step()) {
    ReportHost h;
    h.host_id = static_cast<int64_t>(in.hosts.size()) + 1;
    h.agent_id = hosts.column_text(0);
    h.hostname = hosts.column_text(1);
    h.department = hosts.column_text(2);
    h.owner = hosts.column_text(3);
    h.classification = hosts.column_text(4);
    h.ip = hosts.column_text(5);
    h.mac = hosts.column_text(6);
    h.os = hosts.column_text(7);
    h.os_id = os_id_from_name(h.os);
    h.last_seen_ms = hosts.column_int(8);
    h.failing_checks = split_commas(hosts.column_text(9));
    if (hosts.column_int(10) != 0) out.online.insert(h.agent_id);
    if (h.last_seen_ms >= from_ms && h.last_seen_ms < to_ms)
      in.reported_host_ids.push_back(h.host_id);
    ids.emplace(h.agent_id, h.host_id);
    in.hosts.push_back(std::move(h));
  }
  hosts.reset();

  auto counts = db_->prepare(
      "SELECT h.department, r.check_id, r.status, count(*) FROM unit_results r JOIN unit_hosts h "
      "ON h.unit_id = r.unit_id AND h.origin = r.origin AND h.agent_id = r.agent_id "
      "WHERE r.unit_id = ? AND r.origin = ? AND h.revoked = FALSE "
      "GROUP BY h.department, r.check_id, r.status ORDER BY h.department, r.check_id, r.status");
  counts.bind(1, unit.id).bind(2, unit.origin);
  while (counts.step())
    in.result_counts.push_back({counts.column_text(0), counts.column_text(1), counts.column_text(2),
                                counts.column_int(3)});
  counts.reset();

  in.incidents = incidents_locked(
      "i.unit_id = ? AND i.origin = ? AND i.at >= ? AND i.at < ?", [&](storage::Statement& st) {
        st.bind(1, unit.id).bind(2, unit.origin).bind(3, from_ms).bind(4, to_ms);
      });
  return out;
}

}  // namespace warden::collector
