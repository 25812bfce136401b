#include "collector/wardenctl/report_render.hpp"

#include <cstdio>

#include "collector/ledger/ledger_csv.hpp"
#include "common/json_text.hpp"

namespace warden::ctl {

using collector::csv_field;
using nlohmann::json;

namespace {

std::string s(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return json_text(j);
}

std::string pct(double r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", r * 100.0);
  return buf;
}

// A remediation rate is null while no failure is due yet (all still within their deadline).
std::string due_pct(const json& rate) {
  return rate.is_number() ? pct(rate.get<double>()) : "none due yet";
}

std::string join_list(const json& arr) {
  std::string out;
  for (const auto& v : arr) out += (out.empty() ? "" : " ") + s(v);
  return out;
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

// A line chart of a rate over days.
std::string trend_chart(const json& trend) {
  if (trend.empty()) return "<p>No reports in the period.</p>";
  int n = static_cast<int>(trend.size());
  std::string pts;
  for (int i = 0; i < n; ++i) {
    double r = trend[static_cast<size_t>(i)].value("compliance_rate", 1.0);
    int x = 40 + (n == 1 ? 280 : i * 560 / (n - 1));
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
  svg += "<text x='40' y='190' font-size='11'>" + html_escape(s(trend.front()["day"])) + "</text>";
  svg += "<text x='540' y='190' font-size='11'>" + html_escape(s(trend.back()["day"])) + "</text>";
  return svg + "</svg>";
}

std::string table(std::initializer_list<std::string> headers,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string t = "<table><tr>";
  for (const auto& h : headers) t += "<th>" + html_escape(h) + "</th>";
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

std::string render_report_csv(const json& r) {
  std::string out = "\xEF\xBB\xBF";
  csv_row(out, {"Warden self-check report", s(r["period"]["from"]), s(r["period"]["to"]),
                "generated " + s(r["generated_at"])});
  const auto& sum = r["summary"];
  csv_row(out,
          {"hosts", "online", "offline", "failing hosts", "compliance rate", "remediation rate"});
  csv_row(out,
          {s(sum["hosts"]), s(sum["online"]), s(sum["offline"]), s(sum["failing_hosts"]),
           pct(sum.value("compliance_rate", 1.0)), due_pct(sum.value("remediation_rate", json()))});
  out += "\r\n";
  csv_row(out,
          {"department", "check", "pass", "fail", "error", "not applicable", "compliance rate"});
  for (const auto& d : r["departments"])
    for (const auto& c : d["checks"])
      csv_row(out, {s(d["department"]), s(c["check"]), s(c["pass"]), s(c["fail"]), s(c["error"]),
                    s(c["not_applicable"]), pct(c.value("compliance_rate", 1.0))});
  out += "\r\n";
  csv_row(out, {"check", "rule", "standard", "pass", "fail", "error", "not applicable",
                "compliance rate"});
  for (const auto& q : r.value("requirements", json::array()))
    csv_row(out, {s(q["check"]), s(q["rule"]), s(q["standard"]), s(q["pass"]), s(q["fail"]),
                  s(q["error"]), s(q["not_applicable"]), pct(q.value("compliance_rate", 1.0))});
  out += "\r\n";
  csv_row(out, {"failing host", "department", "owner", "ip", "mac", "os", "failing checks"});
  for (const auto& h : r["failing_hosts"])
    csv_row(out, {s(h["hostname"]), s(h["department"]), s(h["owner"]), s(h["ip"]), s(h["mac"]),
                  s(h["os"]), join_list(h["failing"])});
  out += "\r\n";
  csv_row(out, {"remediation by department", "failures due", "fixed within deadline",
                "open within deadline", "rate"});
  for (const auto& d : r["remediation"]["by_department"])
    csv_row(out, {s(d["department"]), s(d["failures_due"]), s(d["fixed_within_deadline"]),
                  s(d["open_within_deadline"]), due_pct(d.value("rate", json()))});
  csv_row(out, {"remediation by check", "failures due", "fixed within deadline",
                "open within deadline", "rate"});
  for (const auto& d : r["remediation"]["by_check"])
    csv_row(out, {s(d["check"]), s(d["failures_due"]), s(d["fixed_within_deadline"]),
                  s(d["open_within_deadline"]), due_pct(d.value("rate", json()))});
  out += "\r\n";
  csv_row(out, {"usb violation time", "hostname", "owner", "department", "host classification",
                "check"});
  for (const auto& v : r["usb_violations"])
    csv_row(out, {s(v["at"]), s(v["hostname"]), s(v["owner"]), s(v["department"]),
                  s(v["classification"]), s(v["check"])});
  out += "\r\n";
  csv_row(out, {"identity event time", "kind", "hostname", "agent id", "department", "details"});
  for (const auto& e : r["identity_events"])
    csv_row(out, {s(e["at"]), s(e["kind"]), s(e["hostname"]), s(e["agent_id"]), s(e["department"]),
                  json_text(e["details"])});
  out += "\r\n";
  csv_row(out, {"offline host", "department", "owner", "last seen"});
  for (const auto& h : r["offline_hosts"])
    csv_row(out, {s(h["hostname"]), s(h["department"]), s(h["owner"]), s(h["last_seen"])});
  out += "\r\n";
  csv_row(out, {"day", "findings", "failing", "compliance rate"});
  for (const auto& t : r["trend"])
    csv_row(out,
            {s(t["day"]), s(t["findings"]), s(t["failing"]), pct(t.value("compliance_rate", 1.0))});
  return out;
}

std::string render_report_html(const json& r) {
  const auto& sum = r["summary"];
  std::string h =
      "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>Warden self-check "
      "report</title>"
      "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
      "margin:.5em 0 1.5em}"
      "td,th{border:1px solid #ccc;padding:3px "
      "8px;font-size:13px;text-align:left}th{background:#f0f0f0}"
      ".kpi{display:inline-block;margin-right:2em}.kpi "
      "b{font-size:1.6em;display:block}</style></head><body>";
  h += "<h1>Warden self-check report</h1><p>Period " + html_escape(s(r["period"]["from"])) +
       " to " + html_escape(s(r["period"]["to"])) +
       (s(r["department"]).empty() ? "" : ", department " + html_escape(s(r["department"]))) +
       ". Generated " + html_escape(s(r["generated_at"])) + ".</p>";
  auto kpi = [&](const std::string& label, const std::string& value) {
    h += "<div class='kpi'><b>" + html_escape(value) + "</b>" + html_escape(label) + "</div>";
  };
  kpi("hosts", s(sum["hosts"]));
  kpi("online", s(sum["online"]));
  kpi("failing hosts", s(sum["failing_hosts"]));
  kpi("compliance", pct(sum.value("compliance_rate", 1.0)));
  kpi("remediated in time (target 95%)", due_pct(sum.value("remediation_rate", json())));

  std::vector<std::vector<std::string>> req_rows;
  for (const auto& q : r.value("requirements", json::array()))
    req_rows.push_back({s(q["rule"]), s(q["standard"]), s(q["check"]), s(q["pass"]), s(q["fail"]),
                        s(q["error"]), pct(q.value("compliance_rate", 1.0))});
  h += "<h2>Requirements</h2>" +
       table({"rule", "standard", "check", "pass", "fail", "error", "rate"}, req_rows);

  h += "<h2>Compliance by department</h2>";
  std::vector<std::pair<std::string, double>> dept_rates;
  std::vector<std::vector<std::string>> check_rows;
  for (const auto& d : r["departments"]) {
    dept_rates.emplace_back(s(d["department"]), d.value("compliance_rate", 1.0));
    for (const auto& c : d["checks"])
      check_rows.push_back({s(d["department"]), s(c["check"]), s(c["pass"]), s(c["fail"]),
                            s(c["error"]), s(c["not_applicable"]),
                            pct(c.value("compliance_rate", 1.0))});
  }
  h += bars(dept_rates);
  h += "<h2>Compliance by check</h2>" +
       table({"department", "check", "pass", "fail", "error", "n/a", "rate"}, check_rows);

  std::vector<std::vector<std::string>> failing;
  for (const auto& x : r["failing_hosts"])
    failing.push_back({s(x["hostname"]), s(x["department"]), s(x["owner"]), s(x["ip"]), s(x["mac"]),
                       s(x["os"]), join_list(x["failing"])});
  h += "<h2>Failing hosts</h2>" +
       table({"host", "department", "owner", "IP", "MAC", "OS", "failing checks"}, failing);

  std::vector<std::pair<std::string, double>> rem;
  std::vector<std::vector<std::string>> rem_rows;
  for (const auto& d : r["remediation"]["by_check"]) {
    if (d["rate"].is_number()) rem.emplace_back(s(d["check"]), d["rate"].get<double>());
    rem_rows.push_back({s(d["check"]), s(d["failures_due"]), s(d["fixed_within_deadline"]),
                        s(d["open_within_deadline"]), due_pct(d.value("rate", json()))});
  }
  h += "<h2>Remediation within deadline</h2>" + bars(rem) +
       table({"check", "failures due", "fixed in time", "open, not yet due", "rate"}, rem_rows);

  std::vector<std::vector<std::string>> usb;
  for (const auto& v : r["usb_violations"])
    usb.push_back({s(v["at"]), s(v["hostname"]), s(v["owner"]), s(v["department"]),
                   s(v["classification"]), s(v["check"])});
  h += "<h2>USB violations</h2>" +
       (usb.empty() ? std::string("<p>None.</p>")
                    : table({"time", "host", "owner", "department", "host class", "check"}, usb));

  std::vector<std::vector<std::string>> ids;
  for (const auto& e : r["identity_events"])
    ids.push_back({s(e["at"]), s(e["kind"]), s(e["hostname"]), s(e["agent_id"]), s(e["department"]),
                   json_text(e["details"])});
  h += "<h2>Host identity events</h2>" +
       (ids.empty() ? std::string("<p>None.</p>")
                    : table({"time", "kind", "host", "agent ID", "department", "details"}, ids));

  std::vector<std::vector<std::string>> off;
  for (const auto& x : r["offline_hosts"])
    off.push_back({s(x["hostname"]), s(x["department"]), s(x["owner"]), s(x["last_seen"])});
  h += "<h2>Offline hosts</h2>" + (off.empty()
                                       ? std::string("<p>None.</p>")
                                       : table({"host", "department", "owner", "last seen"}, off));

  h += "<h2>Trend</h2>" + trend_chart(r["trend"]);
  return h + "</body></html>\n";
}

}  // namespace warden::ctl
