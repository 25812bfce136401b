// The unit of compliance: one check's verdict on one host, as the agent and collector share it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

enum class Status { pass, fail, error, not_applicable };
enum class Severity { info, low, medium, high, critical };

std::string_view to_string(Status s);
std::string_view to_string(Severity s);
std::optional<Status> parse_status(std::string_view s);
std::optional<Severity> parse_severity(std::string_view s);

struct Finding {
  std::string check;  // stable ID, e.g. "av.running" (common/catalog/checks.json)
  Status status = Status::pass;
  Severity severity = Severity::info;
  std::string summary;  // English, rendered from the catalogue (or an old agent's own words)
  nlohmann::json evidence = nlohmann::json::object();
  std::string summary_key;  // the catalogue summary variant `summary` was rendered from
};

// The finding of `check` whose summary is the catalogue's `variant` template over `evidence`, in
// English (readers render it again in their language). A variant the catalogue lacks, or a
// template field the evidence lacks, is a defect: the summary then says so (and the catalogue
// test, which drives every evaluator through every variant, fails).
Finding make_finding(std::string check, Status status, Severity severity, std::string_view variant,
                     nlohmann::json evidence = nlohmann::json::object());
// Sets `f`'s variant and renders its summary again from its evidence.
void set_summary(Finding& f, std::string_view variant);

nlohmann::json to_json(const Finding& f);

// The result of one local sweep: typed facts (as JSON, keyed by probe) and the verdicts.
struct SweepResult {
  nlohmann::json facts = nlohmann::json::object();
  std::vector<Finding> findings;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
};

}  // namespace warden
