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
  std::string check;  // stable ID, e.g. "av.running" (docs/checks.md)
  Status status = Status::pass;
  Severity severity = Severity::info;
  std::string summary;
  nlohmann::json evidence = nlohmann::json::object();
};

// Shorthand constructors used by evaluators.
Finding make_finding(std::string check, Status status, Severity severity, std::string summary,
                     nlohmann::json evidence = nlohmann::json::object());

nlohmann::json to_json(const Finding& f);

// The result of one local sweep: typed facts (as JSON, keyed by probe) and the verdicts.
struct SweepResult {
  nlohmann::json facts = nlohmann::json::object();
  std::vector<Finding> findings;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
};

}  // namespace warden
