// Renders the self-check report (proto warden.v1.SelfCheckReport, docs/reports.md) for people and
// programs: JSON (the document docs/reports.md describes: times as UTC text, rates as fractions, a
// rate nothing is due for as null), CSV that spreadsheet programs open correctly (UTF-8 with BOM,
// one section after another, every cell through csv_field) and one self-contained HTML file with
// inline SVG charts (no scripts, no external resources: readable offline; every text escaped).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "warden/v1/admin.pb.h"

namespace warden::ctl {

nlohmann::json report_json(const v1::SelfCheckReport& report);
std::string render_report_json(
    const v1::SelfCheckReport& report);  // report_json, indented, with newline
std::string render_report_csv(const v1::SelfCheckReport& report);
std::string render_report_html(const v1::SelfCheckReport& report);
std::string html_escape(const std::string& s);

}  // namespace warden::ctl
