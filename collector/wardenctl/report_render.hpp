// Renders the self-check report (proto warden.v1.SelfCheckReport, docs/reports.md) for people and
// programs: JSON (the document docs/reports.md describes: times as UTC text, rates as fractions, a
// rate nothing is due for as null), CSV that spreadsheet programs open correctly (UTF-8 with BOM,
// one section after another, every cell through csv_field) and one self-contained HTML file with
// inline SVG charts (no scripts, no external resources: readable offline; every text escaped).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

#include "common/i18n/i18n.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::ctl {

// The optional narrative of a self-check report (work done, shortcomings, next steps), written by
// the unit: a UTF-8 text file in which a line "# Title" starts a section and blank lines separate
// paragraphs. At most 64 sections and 256 KiB.
struct NarrativeSection {
  std::string title;
  std::vector<std::string> paragraphs;
};
using Narrative = std::vector<NarrativeSection>;
// invalid, with the line, for text that is not UTF-8, too large, or text before any "# " title.
Result<Narrative> parse_narrative(std::string_view text);

// JSON keeps its English keys and codes and UTC times; it adds each requirement's title and rule
// in `lang` (title, rule_text). CSV and HTML are for people: every word in `lang`, checks by
// their catalogue title, times and dates local in the report's time zone.
nlohmann::json report_json(const v1::SelfCheckReport& report,
                           i18n::Language lang = i18n::language(), const Narrative& narrative = {});
std::string render_report_json(  // report_json, indented, with newline
    const v1::SelfCheckReport& report, i18n::Language lang = i18n::language(),
    const Narrative& narrative = {});
std::string render_report_csv(const v1::SelfCheckReport& report,
                              i18n::Language lang = i18n::language(),
                              const Narrative& narrative = {});
std::string render_report_html(const v1::SelfCheckReport& report,
                               i18n::Language lang = i18n::language(),
                               const Narrative& narrative = {});
std::string html_escape(const std::string& s);

}  // namespace warden::ctl
