#include "common/finding.hpp"

#include "common/catalog/check_catalog.hpp"

#include <array>
#include <utility>

namespace warden {

namespace {
constexpr std::array<std::string_view, 4> kStatusNames = {"pass", "fail", "error",
                                                          "not_applicable"};
constexpr std::array<std::string_view, 5> kSeverityNames = {"info", "low", "medium", "high",
                                                            "critical"};
}  // namespace

std::string_view to_string(Status s) {
  return kStatusNames.at(static_cast<size_t>(s));
}
std::string_view to_string(Severity s) {
  return kSeverityNames.at(static_cast<size_t>(s));
}

std::optional<Status> parse_status(std::string_view s) {
  for (size_t i = 0; i < kStatusNames.size(); ++i)
    if (kStatusNames[i] == s) return static_cast<Status>(i);
  return std::nullopt;
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (size_t i = 0; i < kSeverityNames.size(); ++i)
    if (kSeverityNames[i] == s) return static_cast<Severity>(i);
  return std::nullopt;
}

void set_summary(Finding& f, std::string_view variant) {
  f.summary_key = std::string(variant);
  const catalog::Text* t = catalog::find_summary(f.check, f.summary_key);
  if (t == nullptr) {
    f.summary = f.check + ": the check catalogue has no summary \"" + f.summary_key + "\"";
    return;
  }
  auto text = catalog::render_template(t->en, f.evidence);
  f.summary =
      text ? std::move(text).value() : f.check + "/" + f.summary_key + ": " + text.error().message;
}

Finding make_finding(std::string check, Status status, Severity severity, std::string_view variant,
                     nlohmann::json evidence) {
  Finding f{std::move(check), status, severity, {}, std::move(evidence), {}};
  set_summary(f, variant);
  return f;
}

nlohmann::json to_json(const Finding& f) {
  return {
      {"check", f.check},     {"status", to_string(f.status)}, {"severity", to_string(f.severity)},
      {"summary", f.summary}, {"summary_key", f.summary_key},  {"evidence", f.evidence}};
}

}  // namespace warden
