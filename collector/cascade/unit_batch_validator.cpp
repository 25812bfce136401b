#include "collector/cascade/unit_batch_validator.hpp"

#include "common/validate.hpp"

namespace warden::collector {

namespace {

bool is_result_status(const std::string& s) {
  return s == "pass" || s == "fail" || s == "error" || s == "not_applicable";
}

std::string at(const char* what, int i, const std::string& error) {
  return error.empty() ? error : std::string(what) + " " + std::to_string(i) + ": " + error;
}

std::string host_error(const v1::UnitHost& h) {
  namespace v = validate;
  if (auto e = validate_origin(h.origin()); !e.empty()) return e;
  for (auto e : {v::text("agent_id", h.agent_id(), v::kMaxHostFieldBytes, false),
                 v::text("hostname", h.hostname(), v::kMaxHostFieldBytes, h.removed()),
                 v::text("department", h.department(), v::kMaxHostFieldBytes),
                 v::text("owner", h.owner(), v::kMaxHostFieldBytes),
                 v::text("ip", h.ip(), v::kMaxHostFieldBytes),
                 v::text("mac", h.mac(), v::kMaxHostFieldBytes),
                 v::text("os_name", h.os_name(), v::kMaxHostFieldBytes),
                 v::text("classification", h.classification(), 32)})
    if (!e.empty()) return e;
  if (h.last_report_ms() < 0) return "last_report_ms is negative";
  if (static_cast<size_t>(h.checks_size()) > kMaxChecksPerHost)
    return "more than " + std::to_string(kMaxChecksPerHost) + " checks";
  for (const auto& c : h.checks()) {
    if (auto e = v::identifier("check", c.check()); !e.empty()) return e;
    if (!is_result_status(c.status())) return "check " + c.check() + ": unknown status";
  }
  return {};
}

std::string incident_error(const v1::UnitIncident& i) {
  namespace v = validate;
  if (auto e = validate_origin(i.origin()); !e.empty()) return e;
  if (i.source_id() <= 0) return "source_id must be positive";
  if (i.at_ms() <= 0) return "at_ms must be positive";
  for (auto e : {v::text("agent_id", i.agent_id(), v::kMaxHostFieldBytes, false),
                 v::text("hostname", i.hostname(), v::kMaxHostFieldBytes),
                 v::text("ip", i.ip(), v::kMaxHostFieldBytes),
                 v::text("mac", i.mac(), v::kMaxHostFieldBytes),
                 v::text("owner", i.owner(), v::kMaxHostFieldBytes),
                 v::text("department", i.department(), v::kMaxHostFieldBytes),
                 v::text("os", i.os(), v::kMaxHostFieldBytes), v::identifier("check", i.check()),
                 v::text("summary", i.summary(), v::kMaxSummaryBytes)})
    if (!e.empty()) return e;
  // What admins filled in where it happened (the admin service's own limits, with room).
  for (auto e : {v::text("location", i.location(), kMaxIncidentNameBytes),
                 v::text("service", i.service(), kMaxIncidentNameBytes),
                 v::text("impact", i.impact(), kMaxIncidentTextBytes),
                 v::text("cause", i.cause(), kMaxIncidentTextBytes),
                 v::text("handling", i.handling(), kMaxIncidentTextBytes),
                 v::text("reporter", i.reporter(), kMaxIncidentNameBytes)})
    if (!e.empty()) return e;
  if (i.reported_at_ms() < 0 || i.details_updated_at_ms() < 0) return "negative time";
  return {};
}

std::string sweep_error(const v1::UnitSweep& s) {
  namespace v = validate;
  if (auto e = validate_origin(s.origin()); !e.empty()) return e;
  if (s.sweep_id() == 0) return "sweep_id must be positive";
  if (s.answered() > s.targets()) return "more answers than targets";
  for (auto e : {v::text("requested_by", s.requested_by(), v::kMaxHostFieldBytes),
                 v::text("kind", s.kind(), 32)})
    if (!e.empty()) return e;
  return {};
}

}  // namespace

std::string validate_unit_name(std::string_view name) {
  if (auto e = validate::text("unit name", name, kMaxUnitNameBytes, false); !e.empty()) return e;
  if (name.find('/') != std::string_view::npos) return "a unit name cannot contain '/'";
  return {};
}

std::string validate_origin(std::string_view origin) {
  if (origin.empty()) return {};
  size_t depth = 0, start = 0;
  while (start <= origin.size()) {
    auto slash = origin.find('/', start);
    if (slash == std::string_view::npos) slash = origin.size();
    if (++depth > kMaxOriginDepth) return "origin: more than 8 levels";
    if (auto e = validate_unit_name(origin.substr(start, slash - start)); !e.empty())
      return "origin: " + e;
    start = slash + 1;
  }
  return {};
}

std::string validate_unit_batch(const v1::UnitBatch& b, const UnitBatchLimits& limits) {
  if (b.seq() == 0) return "seq must be positive";
  if (static_cast<size_t>(b.hosts_size()) > limits.hosts) return "too many hosts in one batch";
  if (static_cast<size_t>(b.incidents_size()) > limits.incidents)
    return "too many incidents in one batch";
  if (static_cast<size_t>(b.sweeps_size()) > limits.sweeps) return "too many sweeps in one batch";
  if (static_cast<size_t>(b.members_size()) > limits.members) return "too many units in one batch";
  for (int i = 0; i < b.members_size(); ++i) {
    const auto& m = b.members(i);
    if (auto e = validate_origin(m.origin()); !e.empty()) return at("unit", i, e);
    if (auto e = validate::text("name", m.name(), kMaxUnitNameBytes * kMaxOriginDepth, false);
        !e.empty())
      return at("unit", i, e);
    if (m.ledger_hosts() < 0) return at("unit", i, "ledger_hosts is negative");
  }
  for (int i = 0; i < b.hosts_size(); ++i)
    if (auto e = host_error(b.hosts(i)); !e.empty()) return at("host", i, e);
  for (int i = 0; i < b.incidents_size(); ++i)
    if (auto e = incident_error(b.incidents(i)); !e.empty()) return at("incident", i, e);
  for (int i = 0; i < b.sweeps_size(); ++i)
    if (auto e = sweep_error(b.sweeps(i)); !e.empty()) return at("sweep", i, e);
  return {};
}

}  // namespace warden::collector
