// Renders the self-check report (proto warden.v1.SelfCheckReport, docs/reports.md) for people and
// programs: JSON (the document docs/reports.md describes: times as UTC text, rates as fractions, a
// rate nothing is due for as null), CSV that spreadsheet programs open correctly (UTF-8 with BOM,
// one section after another, every cell through csv_field) and one self-contained HTML file with
// inline SVG charts (no scripts, no external resources: readable offline; every text escaped).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/i18n/i18n.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::ctl {

// JSON keeps its English keys and codes and UTC times; it adds each requirement's title and rule
// in `lang` (title, rule_text). CSV and HTML are for people: every word in `lang`, checks by
// their catalogue title, times and dates local in the report's time zone.
nlohmann::json report_json(const v1::SelfCheckReport& report,
                           i18n::Language lang = i18n::language());
std::string render_report_json(  // report_json, indented, with newline
    const v1::SelfCheckReport& report, i18n::Language lang = i18n::language());
std::string render_report_csv(const v1::SelfCheckReport& report,
                              i18n::Language lang = i18n::language());
std::string render_report_html(const v1::SelfCheckReport& report,
                               i18n::Language lang = i18n::language());
std::string html_escape(const std::string& s);

}  // namespace warden::ctl
