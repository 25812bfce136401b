#include "collector/wardenctl/report_render.hpp"

#include <cstdio>
#include <optional>

#include "collector/ledger/ledger_csv.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/i18n/i18n.hpp"
#include "common/json_text.hpp"
#include "common/text.hpp"
#include "common/time_zone.hpp"

namespace warden::ctl {

using collector::csv_field;
using i18n::Language;
using i18n::N_;
using nlohmann::json;

namespace {

std::string n(int64_t v) {
  return std::to_string(v);
}

// JSON keeps UTC text (machine-readable, as docs/reports.md documents it).
std::string time_text(int64_t ms) {
  return format_time_utc(ms);
}
std::string day_text(int64_t ms) {
  return format_time_utc(ms).substr(0, 10);
}

// What people read: one report in one language, times in the report's zone.
struct Reader {
  Language lang;
  TimeZone zone;
  std::string tr(const char* msgid) const { return i18n::tr(msgid, lang); }
  template <typename... Args>
  std::string trf(const char* msgid, const Args&... args) const {
    return i18n::trf_in(lang, msgid, args...);
  }
  std::string time(int64_t ms) const { return ms ? zone.format_minutes(ms) : tr("never"); }
  // "病毒库及时更新 (av.signatures_fresh)"; the ID alone for a check the catalogue lacks.
  std::string check(const std::string& id) const {
    const catalog::CheckEntry* e = catalog::find(id);
    return e ? e->title.in(lang) + " (" + id + ")" : id;
  }
  std::string checks(const google::protobuf::RepeatedPtrField<std::string>& ids) const {
    std::string out;
    for (const auto& id : ids)
      out += (out.empty() ? "" : lang == Language::zh_CN ? "；" : "; ") + check(id);
    return out;
  }
  // "classified" / "general" and the identity event kinds are codes: shown in words.
  std::string word(const std::string& code) const { return code.empty() ? code : tr(code.c_str()); }
  std::string rule(const v1::SelfCheckReport::Requirement& q) const {
    const catalog::CheckEntry* e = catalog::find(q.results().check());
    return e ? e->rule.in(lang) : q.rule();
  }
  std::string standard(const v1::SelfCheckReport::Requirement& q) const {
    const catalog::CheckEntry* e = catalog::find(q.results().check());
    if (!e) return q.standard();
    return "GB/T 22239-2019 " + e->standard_clause + " " + e->standard.in(lang);
  }
  // A problem's remediation status: overdue, open, or no measure set yet.
  std::string item_status(const v1::SelfCheckReport::Problem& p) const {
    if (p.status().empty()) return tr("no measure yet");
    if (p.overdue()) return tr("OVERDUE");
    return p.status() == "open" ? tr("open") : tr("closed");
  }
  std::string period(const v1::SelfCheckReport& r) const {
    return trf("{1} to {2}", r.period().from_date(), r.period().last_date());
  }
};

Reader reader_for(const v1::SelfCheckReport& r, Language lang) {
  auto zone = TimeZone::named(r.time_zone());
  return Reader{lang, zone ? *zone : TimeZone::utc()};
}

std::string pct(double r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", r * 100.0);
  return buf;
}

// A remediation rate is unset while no failure is due yet (all still within their deadline).
std::optional<double> tally_rate(const v1::SelfCheckReport::RemediationTally& t) {
  return t.has_rate() ? std::optional(t.rate()) : std::nullopt;
}
std::optional<double> remediation_rate(const v1::SelfCheckReport::Summary& s) {
  return s.has_remediation_rate() ? std::optional(s.remediation_rate()) : std::nullopt;
}
std::string due_pct(std::optional<double> rate, const Reader& rd) {
  return rate ? pct(*rate) : rd.tr("none due yet");
}
json rate_json(std::optional<double> rate) {
  return rate ? json(*rate) : json(nullptr);
}

// An identity event's data as JSON (an object, also when what was stored is not JSON).
json details(const std::string& data_json) {
  auto j = json::parse(data_json, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

json results_json(const v1::SelfCheckReport::CheckResults& c) {
  return {{"check", c.check()},
          {"pass", c.pass()},
          {"fail", c.fail()},
          {"error", c.error()},
          {"not_applicable", c.not_applicable()},
          {"compliance_rate", c.compliance_rate()}};
}

json tally_json(const v1::SelfCheckReport::RemediationTally& t) {
  return {{"failures_due", t.failures_due()},
          {"fixed_within_deadline", t.fixed_within_deadline()},
          {"open_within_deadline", t.open_within_deadline()},
          {"rate", rate_json(tally_rate(t))}};
}

void csv_row(std::string& out, std::initializer_list<std::string> cells) {
  bool first = true;
  for (const auto& c : cells) {
    out += (first ? "" : ",") + csv_field(c);
    first = false;
  }
  out += "\r\n";
}

// A horizontal bar chart: one bar per (label, rate in 0..1).
// A unit below's report built at the level above says what it is made of.
std::string forwarded_note(const v1::SelfCheckReport& r, const Reader& rd) {
  return rd.trf(
      "Built at the level above from what unit {1} last forwarded ({2}): its current results, "
      "its ledger size and its incidents of the period. The trend, the period's failures and the "
      "problem list are in the report the unit files itself.",
      r.forwarded().unit(), rd.time(r.forwarded().last_contact_ms()));
}

std::string bars(const std::vector<std::pair<std::string, double>>& rows) {
  int h = 22 * static_cast<int>(rows.size()) + 10;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='640' height='" +
                    std::to_string(h) + "' role='img'>";
  int y = 5;
  for (const auto& [label, r] : rows) {
    int w = static_cast<int>(r * 360);
    const char* colour = r >= 0.95 ? "#2e7d32" : r >= 0.8 ? "#f9a825" : "#c62828";
    svg += "<text x='0' y='" + std::to_string(y + 14) + "' font-size='12'>" + html_escape(label) +
           "</text>";
    svg += "<rect x='220' y='" + std::to_string(y) + "' width='" + std::to_string(w) +
           "' height='16' fill='" + colour + "'/>";
    svg += "<text x='" + std::to_string(226 + w) + "' y='" + std::to_string(y + 13) +
           "' font-size='12'>" + pct(r) + "</text>";
    y += 22;
  }
  return svg + "</svg>";
}

// A line chart of the compliance rate over the days of the trend.
std::string trend_chart(
    const google::protobuf::RepeatedPtrField<v1::SelfCheckReport::TrendDay>& trend,
    const Reader& rd) {
  if (trend.empty()) return "<p>" + html_escape(rd.tr("No reports in the period.")) + "</p>";
  int count = trend.size();
  std::string pts;
  for (int i = 0; i < count; ++i) {
    double r = trend[i].compliance_rate();
    int x = 40 + (count == 1 ? 280 : i * 560 / (count - 1));
    int y = 170 - static_cast<int>(r * 150);
    pts += std::to_string(x) + "," + std::to_string(y) + " ";
  }
  std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' width='640' height='200' role='img'>"
      "<line x1='40' y1='170' x2='600' y2='170' stroke='#999'/><line x1='40' y1='20' x2='40' "
      "y2='170' stroke='#999'/>"
      "<text x='0' y='24' font-size='11'>100%</text><text x='8' y='172' font-size='11'>0%</text>"
      "<polyline fill='none' stroke='#1565c0' stroke-width='2' points='" +
      pts + "'/>";
  svg += "<text x='40' y='190' font-size='11'>" + html_escape(trend[0].date()) + "</text>";
  svg += "<text x='540' y='190' font-size='11'>" + html_escape(trend[count - 1].date()) + "</text>";
  return svg + "</svg>";
}

// Headers are msgids, translated here.
std::string table(const Reader& rd, std::initializer_list<const char*> headers,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string t = "<table><tr>";
  for (const char* h : headers) t += "<th>" + html_escape(rd.tr(h)) + "</th>";
  t += "</tr>";
  for (const auto& r : rows) {
    t += "<tr>";
    for (const auto& c : r) t += "<td>" + html_escape(c) + "</td>";
    t += "</tr>";
  }
  return t + "</table>";
}

}  // namespace

std::string html_escape(const std::string& in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<Narrative> parse_narrative(std::string_view text) {
  constexpr size_t kMaxBytes = 256 * 1024, kMaxSections = 64;
  if (text.size() > kMaxBytes)
    return Error{ErrorKind::invalid, "the narrative is larger than 256 KiB"};
  if (!text::is_valid_utf8(text)) return Error{ErrorKind::invalid, "the narrative is not UTF-8"};
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from a Windows editor
  Narrative out;
  std::string paragraph;
  auto end_paragraph = [&] {
    if (!paragraph.empty() && !out.empty()) out.back().paragraphs.push_back(paragraph);
    paragraph.clear();
  };
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string line = text::printable(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.starts_with("# ")) {
      end_paragraph();
      if (out.size() == kMaxSections)
        return Error{ErrorKind::invalid, "the narrative has more than 64 sections"};
      out.push_back({text::trim(line.substr(2)), {}});
    } else if (line.empty()) {
      end_paragraph();
    } else {
      if (out.empty())
        return Error{ErrorKind::invalid, "narrative line " + std::to_string(line_no) +
                                             ": text before the first \"# Title\" line"};
      paragraph += (paragraph.empty() ? "" : " ") + line;
    }
  }
  end_paragraph();
  return out;
}

namespace {

json share_json(const google::protobuf::RepeatedPtrField<v1::SelfCheckReport::Share>& shares) {
  json out = json::array();
  for (const auto& x : shares)
    out.push_back({{"name", x.name()},
                   {"hosts", x.hosts()},
                   {"share", x.share()},
                   {"domestic", x.domestic()}});
  return out;
}

json problem_json(const v1::SelfCheckReport::Problem& p, Language lang) {
  return {{"hostname", p.hostname()},
          {"agent_id", p.agent_id()},
          {"department", p.department()},
          {"owner", p.owner()},
          {"check", p.check()},
          {"check_title", catalog::title(p.check(), lang)},
          {"result", p.result()},
          {"since", p.since_ms() ? json(time_text(p.since_ms())) : json(nullptr)},
          {"measure", p.measure()},
          {"person", p.person()},
          {"deadline", p.deadline_date()},
          {"status", p.status().empty() ? "none" : p.status()},
          {"overdue", p.overdue()},
          {"note", p.note()}};
}

json incident_json(const v1::Incident& i, Language lang) {
  return {
      {"id", i.id()},
      {"time", time_text(i.at_ms())},
      {"unit", i.unit()},
      {"department", i.department()},
      {"location", i.location()},
      {"hostname", i.hostname()},
      {"agent_id", i.agent_id()},
      {"ip", i.ip()},
      {"mac", i.mac()},
      {"owner", i.owner()},
      {"os", i.os()},
      {"check", i.check()},
      {"check_title", catalog::title(i.check(), lang)},
      {"summary", i.summary()},
      {"status", i.status()},
      {"service", i.service()},
      {"impact", i.impact()},
      {"cause", i.cause()},
      {"handling", i.handling()},
      {"reporter", i.reporter()},
      {"reported_at", i.reported_at_ms() ? json(time_text(i.reported_at_ms())) : json(nullptr)}};
}

json ledger_host_json(const v1::SelfCheckReport::LedgerHost& l) {
  return {{"hostname", l.hostname()},
          {"ip", l.ip()},
          {"mac", l.mac()},
          {"department", l.department()},
          {"owner", l.owner()}};
}

}  // namespace

json unit_json(const v1::SelfCheckReport::UnitCompliance& u) {
  json checks = json::array();
  for (const auto& c : u.checks()) checks.push_back(results_json(c));
  return {{"name", u.name()},
          {"ledger_hosts", u.ledger_hosts()},
          {"hosts", u.hosts()},
          {"reporting", u.reporting()},
          {"online", u.online()},
          {"failing_hosts", u.failing()},
          {"compliance_rate", u.compliance_rate()},
          {"last_contact", u.last_contact_ms() ? json(time_text(u.last_contact_ms())) : json()},
          {"checks", checks}};
}

// The units below and the roll-up, as table rows (HTML and CSV).
std::vector<std::vector<std::string>> unit_rows(const v1::SelfCheckReport& r, const Reader& rd) {
  std::vector<std::vector<std::string>> rows;
  auto row = [&](const v1::SelfCheckReport::UnitCompliance& u, const std::string& name) {
    rows.push_back({name, n(u.ledger_hosts()), n(u.hosts()), n(u.reporting()), n(u.online()),
                    n(u.failing()), pct(u.compliance_rate()),
                    u.last_contact_ms() ? rd.time(u.last_contact_ms()) : ""});
  };
  for (const auto& u : r.units()) row(u, u.name());
  row(r.rolled_up(), rd.tr("all units rolled up"));
  return rows;
}

json report_json(const v1::SelfCheckReport& r, Language lang, const Narrative& narrative) {
  json departments = json::array();
  for (const auto& d : r.departments()) {
    json checks = json::array();
    for (const auto& c : d.checks()) checks.push_back(results_json(c));
    departments.push_back({{"department", d.department()},
                           {"hosts", d.hosts()},
                           {"compliance_rate", d.compliance_rate()},
                           {"checks", checks}});
  }
  json requirements = json::array();
  for (const auto& q : r.requirements()) {
    json j = results_json(q.results());
    j["rule"] = q.rule();
    j["standard"] = q.standard();
    j["clause"] = q.clause();
    // The reader's language, beside the stable English fields.
    j["title"] = catalog::title(q.results().check(), lang);
    if (const auto* e = catalog::find(q.results().check())) j["rule_text"] = e->rule.in(lang);
    requirements.push_back(j);
  }
  json failing_hosts = json::array();
  for (const auto& h : r.failing_hosts())
    failing_hosts.push_back(
        {{"hostname", h.hostname()},
         {"agent_id", h.agent_id()},
         {"department", h.department()},
         {"owner", h.owner()},
         {"ip", h.ip()},
         {"mac", h.mac()},
         {"os", h.os()},
         {"classification", h.classification()},
         {"failing",
          json(std::vector<std::string>(h.failing_checks().begin(), h.failing_checks().end()))}});
  const auto& rem = r.remediation();
  json by_department = json::array(), by_check = json::array();
  for (const auto& d : rem.by_department()) {
    json j = tally_json(d.tally());
    j["department"] = d.department();
    by_department.push_back(j);
  }
  for (const auto& c : rem.by_check()) {
    json j = tally_json(c.tally());
    j["check"] = c.check();
    by_check.push_back(j);
  }
  json usb = json::array();
  for (const auto& v : r.usb_violations())
    usb.push_back({{"at", time_text(v.at_ms())},
                   {"hostname", v.hostname()},
                   {"owner", v.owner()},
                   {"department", v.department()},
                   {"classification", v.classification()},
                   {"check", v.check()}});
  json identity = json::array();
  for (const auto& e : r.identity_events())
    identity.push_back({{"at", time_text(e.at_ms())},
                        {"kind", e.kind()},
                        {"hostname", e.hostname()},
                        {"agent_id", e.agent_id()},
                        {"department", e.department()},
                        {"details", details(e.details_json())}});
  json offline = json::array();
  for (const auto& h : r.offline_hosts())
    offline.push_back({{"hostname", h.hostname()},
                       {"agent_id", h.agent_id()},
                       {"department", h.department()},
                       {"owner", h.owner()},
                       {"last_seen", time_text(h.last_seen_ms())}});
  json trend = json::array();
  for (const auto& t : r.trend())
    trend.push_back({{"day", t.date().empty() ? day_text(t.day_ms()) : t.date()},
                     {"findings", t.findings()},
                     {"failing", t.failing()},
                     {"compliance_rate", t.compliance_rate()}});
  json never_reported = json::array();
  for (const auto& l : r.scope().never_reported()) never_reported.push_back(ledger_host_json(l));
  json problems = json::array();
  for (const auto& p : r.problems()) problems.push_back(problem_json(p, lang));
  json incidents = json::array();
  for (const auto& i : r.incidents()) incidents.push_back(incident_json(i, lang));
  json narrative_json = json::array();
  for (const auto& sec : narrative)
    narrative_json.push_back({{"title", sec.title}, {"paragraphs", sec.paragraphs}});
  const auto& sum = r.summary();
  json out = {{"generated_at", time_text(r.generated_at_ms())},
              {"time_zone", r.time_zone()},
              {"unit",
               {{"name", r.unit().name()},
                {"person_responsible", r.unit().person_responsible()},
                {"contact", r.unit().contact()},
                {"phone", r.unit().phone()}}},
              {"forwarded", r.has_forwarded()
                                ? json{{"unit", r.forwarded().unit()},
                                       {"last_contact", time_text(r.forwarded().last_contact_ms())}}
                                : json(nullptr)},
              {"scope",
               {{"ledger_hosts", r.scope().ledger_hosts()},
                {"reported_hosts", r.scope().reported_hosts()},
                {"ledger_reported", r.scope().ledger_reported()},
                {"never_reported", never_reported},
                {"reported_outside_ledger", r.scope().reported_outside_ledger()}}},
              {"antivirus_products", share_json(r.antivirus_products())},
              {"os_versions", share_json(r.os_versions())},
              {"domestic_os_share", r.domestic_os_share()},
              {"narrative", narrative_json},
              {"period",
               {{"from", time_text(r.period().from_ms())},
                {"to", time_text(r.period().to_ms())},
                {"from_date", r.period().from_date()},
                {"last_date", r.period().last_date()}}},
              {"department", r.department()},
              {"departments", departments},
              {"requirements", requirements},
              {"failing_hosts", failing_hosts},
              {"remediation",
               {{"overall", tally_json(rem.overall())},
                {"by_department", by_department},
                {"by_check", by_check},
                {"target", rem.target()}}},
              {"problems", problems},
              {"incidents", incidents},
              {"usb_violations", usb},
              {"identity_events", identity},
              {"offline_hosts", offline},
              {"trend", trend},
              {"summary",
               {{"hosts", sum.hosts()},
                {"online", sum.online()},
                {"offline", sum.offline()},
                {"failing_hosts", sum.failing_hosts()},
                {"compliance_rate", sum.compliance_rate()},
                {"remediation_rate", rate_json(remediation_rate(sum))}}}};
  if (r.units_size() > 0) {
    out["units"] = json::array();
    for (const auto& u : r.units()) out["units"].push_back(unit_json(u));
    out["rolled_up"] = unit_json(r.rolled_up());
  }
  return out;
}

std::string render_report_json(const v1::SelfCheckReport& r, Language lang,
                               const Narrative& narrative) {
  return report_json(r, lang, narrative).dump(2) + "\n";
}

std::string render_report_csv(const v1::SelfCheckReport& r, Language lang,
                              const Narrative& narrative) {
  const Reader rd = reader_for(r, lang);
  auto row = [&](std::initializer_list<const char*> headers) {
    std::string line;
    bool first = true;
    for (const char* h : headers) {
      line += (first ? "" : ",") + csv_field(rd.tr(h));
      first = false;
    }
    return line + "\r\n";
  };
  std::string out = "\xEF\xBB\xBF";
  csv_row(out, {rd.tr("Self-check report"), rd.period(r), rd.trf("time zone {1}", r.time_zone()),
                rd.trf("generated {1}", rd.time(r.generated_at_ms()))});
  const auto& sum = r.summary();
  out += row({N_("hosts"), N_("online"), N_("offline"), N_("failing hosts"), N_("compliance rate"),
              N_("remediation rate")});
  csv_row(out, {n(sum.hosts()), n(sum.online()), n(sum.offline()), n(sum.failing_hosts()),
                pct(sum.compliance_rate()), due_pct(remediation_rate(sum), rd)});
  out += "\r\n";
  out += row({N_("unit"), N_("person responsible"), N_("contact"), N_("phone")});
  csv_row(out,
          {r.unit().name(), r.unit().person_responsible(), r.unit().contact(), r.unit().phone()});
  if (r.has_forwarded()) csv_row(out, {forwarded_note(r, rd)});
  out += "\r\n";
  const auto& sc = r.scope();
  out += row({N_("PCs in the ledger (to check)"), N_("PCs that reported (checked)"),
              N_("ledger PCs that reported"), N_("reported, not in the ledger")});
  csv_row(out, {n(sc.ledger_hosts()), n(sc.reported_hosts()), n(sc.ledger_reported()),
                n(sc.reported_outside_ledger())});
  out += row(
      {N_("ledger PC that never reported"), N_("IP"), N_("MAC"), N_("department"), N_("owner")});
  for (const auto& l : sc.never_reported())
    csv_row(out, {l.hostname(), l.ip(), l.mac(), l.department(), l.owner()});
  out += "\r\n";
  out += row({N_("antivirus product"), N_("hosts"), N_("share")});
  for (const auto& x : r.antivirus_products())
    csv_row(out, {x.name(), n(x.hosts()), pct(x.share())});
  out += row({N_("operating system"), N_("hosts"), N_("share"), N_("domestic")});
  for (const auto& x : r.os_versions())
    csv_row(out,
            {x.name(), n(x.hosts()), pct(x.share()), x.domestic() ? rd.tr("yes") : rd.tr("no")});
  csv_row(out, {rd.tr("domestic operating systems"), "", pct(r.domestic_os_share())});
  out += "\r\n";
  for (const auto& sec : narrative) {
    csv_row(out, {sec.title});
    for (const auto& p : sec.paragraphs) csv_row(out, {p});
    out += "\r\n";
  }
  out += row({N_("department"), N_("check"), N_("pass"), N_("fail"), N_("error"),
              N_("not applicable"), N_("compliance rate")});
  for (const auto& d : r.departments())
    for (const auto& c : d.checks())
      csv_row(out, {d.department(), rd.check(c.check()), n(c.pass()), n(c.fail()), n(c.error()),
                    n(c.not_applicable()), pct(c.compliance_rate())});
  out += "\r\n";
  out += row({N_("check"), N_("rule"), N_("standard"), N_("pass"), N_("fail"), N_("error"),
              N_("not applicable"), N_("compliance rate")});
  for (const auto& q : r.requirements()) {
    const auto& c = q.results();
    csv_row(out, {rd.check(c.check()), rd.rule(q), rd.standard(q), n(c.pass()), n(c.fail()),
                  n(c.error()), n(c.not_applicable()), pct(c.compliance_rate())});
  }
  out += "\r\n";
  out += row({N_("failing host"), N_("department"), N_("owner"), N_("IP"), N_("MAC"), N_("OS"),
              N_("failing checks")});
  for (const auto& h : r.failing_hosts())
    csv_row(out, {h.hostname(), h.department(), h.owner(), h.ip(), h.mac(), h.os(),
                  rd.checks(h.failing_checks())});
  out += "\r\n";
  const auto& rem = r.remediation();
  out += row({N_("remediation by department"), N_("failures due"), N_("fixed within deadline"),
              N_("open within deadline"), N_("rate")});
  for (const auto& d : rem.by_department()) {
    const auto& t = d.tally();
    csv_row(out, {d.department(), n(t.failures_due()), n(t.fixed_within_deadline()),
                  n(t.open_within_deadline()), due_pct(tally_rate(t), rd)});
  }
  out += row({N_("remediation by check"), N_("failures due"), N_("fixed within deadline"),
              N_("open within deadline"), N_("rate")});
  for (const auto& c : rem.by_check()) {
    const auto& t = c.tally();
    csv_row(out, {rd.check(c.check()), n(t.failures_due()), n(t.fixed_within_deadline()),
                  n(t.open_within_deadline()), due_pct(tally_rate(t), rd)});
  }
  out += "\r\n";
  out += row({N_("problem host"), N_("department"), N_("owner"), N_("check"), N_("result"),
              N_("since"), N_("remediation measure"), N_("person responsible"), N_("deadline"),
              N_("remediation status"), N_("note")});
  for (const auto& p : r.problems())
    csv_row(out, {p.hostname(), p.department(), p.owner(), rd.check(p.check()), rd.word(p.result()),
                  p.since_ms() ? rd.time(p.since_ms()) : "", p.measure(), p.person(),
                  p.deadline_date(), rd.item_status(p), p.note()});
  out += "\r\n";
  out += row({N_("incident time"), N_("unit"), N_("department"), N_("location"), N_("hostname"),
              N_("IP"), N_("owner"), N_("OS"), N_("application or service"), N_("check"),
              N_("impact"), N_("cause"), N_("handling"), N_("reporter"), N_("report time")});
  for (const auto& i : r.incidents())
    csv_row(out,
            {rd.time(i.at_ms()), i.unit(), i.department(), i.location(), i.hostname(), i.ip(),
             i.owner(), i.os(), i.service(), rd.check(i.check()), i.impact(), i.cause(),
             i.handling(), i.reporter(), i.reported_at_ms() ? rd.time(i.reported_at_ms()) : ""});
  out += "\r\n";
  out += row({N_("usb violation time"), N_("hostname"), N_("owner"), N_("department"),
              N_("host classification"), N_("check")});
  for (const auto& v : r.usb_violations())
    csv_row(out, {rd.time(v.at_ms()), v.hostname(), v.owner(), v.department(),
                  rd.word(v.classification()), rd.check(v.check())});
  out += "\r\n";
  out += row({N_("identity event time"), N_("kind"), N_("hostname"), N_("agent id"),
              N_("department"), N_("details")});
  for (const auto& e : r.identity_events())
    csv_row(out, {rd.time(e.at_ms()), rd.word(e.kind()), e.hostname(), e.agent_id(), e.department(),
                  json_text(details(e.details_json()))});
  out += "\r\n";
  out += row({N_("offline host"), N_("department"), N_("owner"), N_("last seen")});
  for (const auto& h : r.offline_hosts())
    csv_row(out, {h.hostname(), h.department(), h.owner(), rd.time(h.last_seen_ms())});
  out += "\r\n";
  out += row({N_("day"), N_("findings"), N_("failing"), N_("compliance rate")});
  for (const auto& t : r.trend())
    csv_row(out, {t.date(), n(t.findings()), n(t.failing()), pct(t.compliance_rate())});
  if (r.units_size() > 0) {
    out += "\r\n";
    out += row({N_("unit below"), N_("PCs in the ledger (to check)"), N_("hosts"), N_("reporting"),
                N_("online"), N_("failing hosts"), N_("compliance rate"), N_("last contact")});
    for (const auto& cells : unit_rows(r, rd)) {
      std::string line;
      for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + csv_field(cells[i]);
      out += line + "\r\n";
    }
  }
  return out;
}

std::string render_report_html(const v1::SelfCheckReport& r, Language lang,
                               const Narrative& narrative) {
  const Reader rd = reader_for(r, lang);
  const auto& sum = r.summary();
  const std::string title = rd.tr("Self-check report");
  std::string h =
      "<!DOCTYPE html><html lang='" + std::string(i18n::code(lang)) +
      "'><head><meta charset='utf-8'><title>" + html_escape(title) +
      "</title>"
      "<style>body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft "
      "YaHei',sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse;margin:.5em 0 1.5em}"
      "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}"
      "th{background:#f0f0f0}.kpi{display:inline-block;margin-right:2em}"
      ".kpi b{font-size:1.6em;display:block}"
      "@page{size:A4;margin:15mm}@media print{body{margin:0}h2{break-after:avoid}"
      "tr{break-inside:avoid}}tr.overdue td{color:#c62828;font-weight:bold}</style></head><body>";
  const auto& unit = r.unit();
  h += "<h1>" + html_escape(unit.name().empty() ? title : unit.name() + " " + title) + "</h1>";
  if (!unit.name().empty() || !unit.person_responsible().empty() || !unit.contact().empty() ||
      !unit.phone().empty())
    h += table(rd, {N_("unit"), N_("person responsible"), N_("contact"), N_("phone")},
               {{unit.name(), unit.person_responsible(), unit.contact(), unit.phone()}});
  h += "<p>" + html_escape(rd.trf("Period: {1} ({2})", rd.period(r), r.time_zone())) +
       (r.department().empty() ? "" : html_escape(rd.trf("; department {1}", r.department()))) +
       html_escape(rd.trf(". Generated {1}.", rd.time(r.generated_at_ms()))) + "</p>";
  if (r.has_forwarded()) h += "<p><em>" + html_escape(forwarded_note(r, rd)) + "</em></p>";
  auto kpi = [&](const char* label, const std::string& value) {
    h +=
        "<div class='kpi'><b>" + html_escape(value) + "</b>" + html_escape(rd.tr(label)) + "</div>";
  };
  kpi(N_("hosts"), n(sum.hosts()));
  kpi(N_("online"), n(sum.online()));
  kpi(N_("failing hosts"), n(sum.failing_hosts()));
  kpi(N_("compliance"), pct(sum.compliance_rate()));
  kpi(N_("remediated in time (target 95%)"), due_pct(remediation_rate(sum), rd));

  const auto& sc = r.scope();
  h += "<h2>" + html_escape(rd.tr("Scope")) + "</h2>" +
       table(rd,
             {N_("PCs in the ledger (to check)"), N_("PCs that reported (checked)"),
              N_("ledger PCs that reported"), N_("reported, not in the ledger")},
             {{n(sc.ledger_hosts()), n(sc.reported_hosts()), n(sc.ledger_reported()),
               n(sc.reported_outside_ledger())}});
  if (sc.never_reported_size() > 0) {
    std::vector<std::vector<std::string>> missing;
    for (const auto& l : sc.never_reported())
      missing.push_back({l.hostname(), l.ip(), l.mac(), l.department(), l.owner()});
    h += "<h3>" + html_escape(rd.tr("Ledger PCs that never reported")) + "</h3>" +
         table(rd, {N_("host"), N_("IP"), N_("MAC"), N_("department"), N_("owner")}, missing);
  }

  std::vector<std::vector<std::string>> req_rows;
  for (const auto& q : r.requirements()) {
    const auto& c = q.results();
    req_rows.push_back({rd.rule(q), rd.standard(q), rd.check(c.check()), n(c.pass()), n(c.fail()),
                        n(c.error()), pct(c.compliance_rate())});
  }
  h += "<h2>" + html_escape(rd.tr("Requirements")) + "</h2>" +
       table(rd,
             {N_("rule"), N_("standard"), N_("check"), N_("pass"), N_("fail"), N_("error"),
              N_("rate")},
             req_rows);

  h += "<h2>" + html_escape(rd.tr("Compliance by department")) + "</h2>";
  std::vector<std::pair<std::string, double>> dept_rates;
  std::vector<std::vector<std::string>> check_rows;
  for (const auto& d : r.departments()) {
    dept_rates.emplace_back(d.department(), d.compliance_rate());
    for (const auto& c : d.checks())
      check_rows.push_back({d.department(), rd.check(c.check()), n(c.pass()), n(c.fail()),
                            n(c.error()), n(c.not_applicable()), pct(c.compliance_rate())});
  }
  h += bars(dept_rates);
  h += "<h2>" + html_escape(rd.tr("Compliance by check")) + "</h2>" +
       table(rd,
             {N_("department"), N_("check"), N_("pass"), N_("fail"), N_("error"), N_("n/a"),
              N_("rate")},
             check_rows);

  std::vector<std::vector<std::string>> failing;
  for (const auto& x : r.failing_hosts())
    failing.push_back({x.hostname(), x.department(), x.owner(), x.ip(), x.mac(), x.os(),
                       rd.checks(x.failing_checks())});
  h += "<h2>" + html_escape(rd.tr("Failing hosts")) + "</h2>" +
       table(rd,
             {N_("host"), N_("department"), N_("owner"), N_("IP"), N_("MAC"), N_("OS"),
              N_("failing checks")},
             failing);

  std::vector<std::pair<std::string, double>> rem;
  std::vector<std::vector<std::string>> rem_rows;
  for (const auto& c : r.remediation().by_check()) {
    const auto& t = c.tally();
    if (t.has_rate()) rem.emplace_back(catalog::title(c.check(), lang), t.rate());
    rem_rows.push_back({rd.check(c.check()), n(t.failures_due()), n(t.fixed_within_deadline()),
                        n(t.open_within_deadline()), due_pct(tally_rate(t), rd)});
  }
  h += "<h2>" + html_escape(rd.tr("Remediation within deadline")) + "</h2>" + bars(rem) +
       table(rd,
             {N_("check"), N_("failures due"), N_("fixed in time"), N_("open, not yet due"),
              N_("rate")},
             rem_rows);

  const std::string none = "<p>" + html_escape(rd.tr("None.")) + "</p>";
  // The problem list: overdue items are marked (class "overdue", printed in red and bold).
  int overdue = 0;
  std::string problems = "<table><tr>";
  for (const char* hd :
       {N_("host"), N_("department"), N_("owner"), N_("check"), N_("result"), N_("since"),
        N_("remediation measure"), N_("person responsible"), N_("deadline"), N_("status")})
    problems += "<th>" + html_escape(rd.tr(hd)) + "</th>";
  problems += "</tr>";
  for (const auto& p : r.problems()) {
    overdue += p.overdue();
    problems += p.overdue() ? "<tr class='overdue'>" : "<tr>";
    for (const auto& c : {p.hostname(), p.department(), p.owner(), rd.check(p.check()),
                          rd.word(p.result()), p.since_ms() ? rd.time(p.since_ms()) : "",
                          p.measure(), p.person(), p.deadline_date(), rd.item_status(p)})
      problems += "<td>" + html_escape(c) + "</td>";
    problems += "</tr>";
  }
  problems += "</table>";
  h += "<h2>" + html_escape(rd.tr("Problems and remediation measures")) + "</h2>" +
       (r.problems_size() == 0 ? none
                               : "<p>" +
                                     html_escape(rd.trf("{1} problems, {2} overdue.",
                                                        n(r.problems_size()), n(overdue))) +
                                     "</p>" + problems);

  std::vector<std::vector<std::string>> inc;
  for (const auto& i : r.incidents())
    inc.push_back({rd.time(i.at_ms()), i.unit(), i.department(), i.location(), i.hostname(), i.ip(),
                   i.owner(), i.os(), i.service(), rd.check(i.check()), i.impact(), i.cause(),
                   i.handling(), i.reporter(),
                   i.reported_at_ms() ? rd.time(i.reported_at_ms()) : ""});
  h += "<h2>" + html_escape(rd.tr("Incidents")) + "</h2>" +
       (inc.empty()
            ? none
            : table(rd,
                    {N_("time"), N_("unit"), N_("department"), N_("location"), N_("host"), N_("IP"),
                     N_("owner"), N_("OS"), N_("application or service"), N_("check"), N_("impact"),
                     N_("cause"), N_("handling"), N_("reporter"), N_("report time")},
                    inc));
  std::vector<std::vector<std::string>> usb;
  for (const auto& v : r.usb_violations())
    usb.push_back({rd.time(v.at_ms()), v.hostname(), v.owner(), v.department(),
                   rd.word(v.classification()), rd.check(v.check())});
  h += "<h2>" + html_escape(rd.tr("USB violations")) + "</h2>" +
       (usb.empty() ? none
                    : table(rd,
                            {N_("time"), N_("host"), N_("owner"), N_("department"),
                             N_("host class"), N_("check")},
                            usb));

  std::vector<std::vector<std::string>> ids;
  for (const auto& e : r.identity_events())
    ids.push_back({rd.time(e.at_ms()), rd.word(e.kind()), e.hostname(), e.agent_id(),
                   e.department(), json_text(details(e.details_json()))});
  h += "<h2>" + html_escape(rd.tr("Host identity events")) + "</h2>" +
       (ids.empty() ? none
                    : table(rd,
                            {N_("time"), N_("kind"), N_("host"), N_("agent ID"), N_("department"),
                             N_("details")},
                            ids));

  std::vector<std::vector<std::string>> off;
  for (const auto& x : r.offline_hosts())
    off.push_back({x.hostname(), x.department(), x.owner(), rd.time(x.last_seen_ms())});
  h += "<h2>" + html_escape(rd.tr("Offline hosts")) + "</h2>" +
       (off.empty() ? none
                    : table(rd, {N_("host"), N_("department"), N_("owner"), N_("last seen")}, off));

  std::vector<std::vector<std::string>> av_rows, os_rows;
  for (const auto& x : r.antivirus_products())
    av_rows.push_back({x.name(), n(x.hosts()), pct(x.share())});
  for (const auto& x : r.os_versions())
    os_rows.push_back(
        {x.name(), n(x.hosts()), pct(x.share()), x.domestic() ? rd.tr("yes") : rd.tr("no")});
  h += "<h2>" + html_escape(rd.tr("Antivirus products and operating systems")) + "</h2>" +
       (av_rows.empty() ? none
                        : table(rd, {N_("antivirus product"), N_("hosts"), N_("share")}, av_rows)) +
       table(rd, {N_("operating system"), N_("hosts"), N_("share"), N_("domestic")}, os_rows) +
       "<p>" +
       html_escape(
           rd.trf("Domestic operating systems: {1} of the hosts.", pct(r.domestic_os_share()))) +
       "</p>";

  if (r.units_size() > 0)
    h += "<h2>" + html_escape(rd.tr("Units below, as each last forwarded")) + "</h2>" +
         table(rd,
               {N_("unit below"), N_("PCs in the ledger (to check)"), N_("hosts"), N_("reporting"),
                N_("online"), N_("failing hosts"), N_("compliance rate"), N_("last contact")},
               unit_rows(r, rd));
  h += "<h2>" + html_escape(rd.tr("Trend")) + "</h2>" + trend_chart(r.trend(), rd);
  for (const auto& sec : narrative) {
    h += "<h2>" + html_escape(sec.title) + "</h2>";
    for (const auto& p : sec.paragraphs) h += "<p>" + html_escape(p) + "</p>";
  }
  return h + "</body></html>\n";
}

}  // namespace warden::ctl
