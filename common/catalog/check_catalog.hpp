// The check catalogue: the one specification of every check Warden can emit.
//
// common/catalog/checks.json (compiled in) holds one entry per check: its stable ID, domain,
// platforms, default severity, title and the office rule it evidences in zh-CN and en, its
// GB/T 22239-2019 area, remediation advice, the evidence fields its summaries use, and the
// summary templates, one per outcome ("variant"). Evaluators render their English summary from
// these templates (make_finding), and send the variant with the evidence, so that any reader
// (wardenctl, the report) renders the same line again in its own language. The agent's check
// lists, the report's requirements section and docs/checks.md are tested against this file.
//
// Templates: {field} is an evidence field (a dotted path: {ledger.mac}, {clashes.0.hostname});
// strings as they are, numbers in decimal, lists joined by ", ". {field?text} is `text` when the
// field is present and not empty, zero or false; {!field?text} when it is. Text inside may use
// fields again. "{{" and "}}" are literal braces outside groups; inside a group '}' always closes
// it, so nested groups may end together ("{a?{b?text}}").
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/finding.hpp"
#include "common/i18n/i18n.hpp"

namespace warden::catalog {

struct Text {
  std::string en;
  std::string zh_CN;
  const std::string& in(i18n::Language lang) const {
    return lang == i18n::Language::zh_CN ? zh_CN : en;
  }
};

struct CheckEntry {
  std::string id;                        // "av.signatures_fresh"
  std::string domain;                    // "antivirus", "patches", "network", "usb", "hygiene"
  std::string evaluated_by;              // "agent" or "collector" (central checks)
  std::vector<std::string> platforms;    // "linux", "windows"
  Severity severity = Severity::medium;  // when it fails, by default
  Text title;                            // "Antivirus signatures up to date"
  Text rule;                             // the office rule it evidences, in the rules' words
  std::string standard_clause;           // GB/T 22239-2019 clause, e.g. "8.1.4.8"
  Text standard;     // its control area, e.g. 安全计算环境—恶意代码防范
  Text remediation;  // what an admin does when it fails
  std::vector<std::string> evidence;      // the evidence fields the summaries use
  std::map<std::string, Text> summaries;  // variant -> template
};

// Every check, in report order (by rule). Parsed and validated once (a broken catalogue is a
// build defect: the first call aborts with the reason, and the catalogue test catches it first).
const std::vector<CheckEntry>& checks();
// The entry for `id`, or nullptr for a check this release does not know (a newer agent's).
const CheckEntry* find(std::string_view id);
// The IDs of the checks of `domain` that `evaluated_by` ("agent" or "collector") emits: what an
// agent module's check_ids() returns.
std::vector<std::string> check_ids(std::string_view domain, std::string_view evaluated_by);
// The check's title in `lang`, or the ID itself for an unknown check.
std::string title(std::string_view id, i18n::Language lang);

// Variants every check shares (a probe that failed, a check disabled by policy).
inline constexpr const char* kProbeFailed = "probe_failed";  // evidence: {error}
inline constexpr const char* kDisabledByPolicy = "disabled_by_policy";

// The template of (check, variant): the check's own, else a shared variant's (also for a check the
// catalogue does not know); nullptr if there is none.
const Text* find_summary(std::string_view check, std::string_view variant);

// Renders `tmpl` over `evidence`; invalid (naming the field) when a field it needs is missing or
// the template is malformed.
Result<std::string> render_template(std::string_view tmpl, const nlohmann::json& evidence);

// The summary of a finding in `lang`: the template for (check, variant) over the evidence, or
// `fallback` (the sender's own summary) when the check, the variant or a field is unknown. Always
// one printable line (text::printable) of at most kMaxSummaryBytes: evidence is what an agent said.
inline constexpr size_t kMaxSummaryBytes = 512;
std::string render_summary(std::string_view check, std::string_view variant,
                           const nlohmann::json& evidence, i18n::Language lang,
                           std::string_view fallback);

}  // namespace warden::catalog
