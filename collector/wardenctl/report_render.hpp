// Renders the self-check report document (docs/reports.md) for people: CSV that spreadsheet
// programs open correctly (UTF-8 with BOM, one section after another) and one self-contained HTML
// file with inline SVG charts (no scripts, no external resources: readable offline).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace warden::ctl {

std::string render_report_csv(const nlohmann::json& report);
std::string render_report_html(const nlohmann::json& report);
std::string html_escape(const std::string& s);

}  // namespace warden::ctl
