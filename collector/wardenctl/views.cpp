#include "collector/wardenctl/views.hpp"

#include "collector/wardenctl/output.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/i18n/i18n.hpp"

namespace warden::ctl {

using i18n::N_;
using i18n::tr;

std::string status_name(v1::Status s) {
  return std::string(to_string(from_proto(s)));
}

std::string severity_name(v1::Severity s) {
  return std::string(to_string(from_proto(s)));
}

std::string status_text(v1::Status s) {
  return tr(status_name(s).c_str());
}

std::string severity_text(v1::Severity s) {
  return tr(severity_name(s).c_str());
}

std::string status_code_text(const std::string& code) {
  if (code.empty()) return "-";
  return parse_status(code) ? tr(code.c_str()) : code;
}

std::string classification_text(const std::string& code) {
  static const char* const known[] = {N_("general"), N_("classified")};
  for (const char* k : known)
    if (code == k) return tr(k);
  return code.empty() ? "-" : code;
}

std::string check_title(const std::string& check) {
  return catalog::title(check, i18n::language());
}

std::string summary_text(const v1::Finding& f) {
  return catalog::render_summary(f.check(), f.summary_key(), evidence_of(f.evidence_json()),
                                 i18n::language(), f.summary());
}

std::string summary_text(const std::string& check, const std::string& summary_key,
                         const std::string& evidence_json, const std::string& stored) {
  return catalog::render_summary(check, summary_key, evidence_of(evidence_json), i18n::language(),
                                 stored);
}

json evidence_of(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

std::string join(const google::protobuf::RepeatedPtrField<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return {v.begin(), v.end()};
}

json token_json(const v1::TokenInfo& t) {
  return {{"id", t.id()},
          {"department", t.department()},
          {"created_at", format_time_utc(t.created_at_ms())},
          {"expires_at", format_time_utc(t.expires_at_ms())},
          {"max_uses", t.max_uses()},
          {"uses", t.uses()},
          {"revoked", t.revoked()},
          {"expired", t.expires_at_ms() <= now_ms()}};
}

json host_json(const v1::HostSummary& h) {
  return {{"agent_id", h.agent_id()},
          {"hostname", h.hostname()},
          {"department", h.department()},
          {"online", h.online()},
          {"state", host_state(h)},
          {"state_text", host_state_text(h)},
          {"last_seen", format_time_utc(h.last_seen_ms())},
          {"failing", strings(h.failing())},
          {"os", h.os_name()},
          {"address", h.peer_address()},
          {"revoked", h.revoked()},
          {"enrolled_at", format_time_utc(h.enrolled_at_ms())},
          {"owner", h.owner()},
          {"classification", h.classification()},
          {"classification_text", classification_text(h.classification())}};
}

std::string host_state(const v1::HostSummary& h) {
  return h.revoked() ? "revoked" : h.online() ? "online" : "offline";
}

std::string host_state_text(const v1::HostSummary& h) {
  return h.revoked() ? tr("revoked") : h.online() ? tr("online") : tr("offline");
}

std::string host_last_seen(const v1::HostSummary& h, int64_t now_ms) {
  return h.online() ? tr("now") : ago(h.last_seen_ms(), now_ms);
}

json finding_json(const v1::StoredFinding& f) {
  return {{"agent_id", f.agent_id()},
          {"hostname", f.hostname()},
          {"check", f.finding().check()},
          {"check_title", check_title(f.finding().check())},
          {"status", status_name(f.finding().status())},
          {"status_text", status_text(f.finding().status())},
          {"severity", severity_name(f.finding().severity())},
          {"severity_text", severity_text(f.finding().severity())},
          {"summary", f.finding().summary()},
          {"summary_key", f.finding().summary_key()},
          {"summary_text", summary_text(f.finding())},
          {"evidence", evidence_of(f.finding().evidence_json())},
          {"since", format_time_utc(f.since_ms())},
          {"updated_at", format_time_utc(f.updated_at_ms())},
          {"sweep_id", f.sweep_id()}};
}

json ledger_json(const v1::LedgerEntry& e) {
  return {{"hostname", e.hostname()}, {"ip", e.ip()},
          {"mac", e.mac()},           {"department", e.department()},
          {"owner", e.owner()},       {"classification", e.classification()}};
}

json usb_json(const v1::UsbDevice& d) {
  return {{"vendor_id", d.vendor_id()},
          {"product_id", d.product_id()},
          {"serial", d.serial()},
          {"classification", d.classification()},
          {"classification_text", classification_text(d.classification())},
          {"owner", d.owner()},
          {"note", d.note()},
          {"registered_at", format_time_utc(d.registered_at_ms())},
          {"registered_by", d.registered_by()}};
}

}  // namespace warden::ctl
