// Department policy documents and `wardenctl policy set KEY=VALUE` assignments
// (collector/policy/policy_document.cpp). Input: a JSON document, or with a leading '=' byte an
// assignment. Invariants: a document that validates merges over the defaults without error,
// and the merged document validates (minus nothing but its own keys) and merges to itself; a
// patch from an assignment is a one-key object path ending at the value.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "collector/policy/policy_document.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using nlohmann::json;
using namespace warden::collector;

namespace {

bool valid(const json& doc) {
  try {
    validate_policy_document(doc);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

void fuzz_assignment(const std::string& assignment) {
  json patch;
  try {
    patch = patch_from_assignment(assignment);
  } catch (const std::invalid_argument&) {
    return;
  }
  std::string path = assignment.substr(0, assignment.find('='));
  // One nested single-key object per dotted segment, keys in order.
  const json* at = &patch;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(at->is_object() && at->size() == 1 && at->contains(key));
    at = &(*at)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string raw = assignment.substr(assignment.find('=') + 1);
  json value = json::parse(raw, nullptr, false);
  FUZZ_CHECK(*at == (value.is_discarded() ? json(raw) : value));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 0 && data[0] == '=') {
    fuzz_assignment(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    return 0;
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& d : department_chain(text)) FUZZ_CHECK(text.rfind(d, 0) == 0);

  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !valid(doc)) return 0;

  EffectivePolicy e = effective_policy({doc});
  FUZZ_CHECK(e.document.is_object());
  FUZZ_CHECK(e.sweep.spread_seconds >= 0 && e.sweep.spread_seconds <= 86400);
  FUZZ_CHECK(e.remediation_deadline_days >= 1 && e.remediation_deadline_days <= 365);
  // The merged document is itself a valid document and a fixed point of merging.
  FUZZ_CHECK(valid(e.document));
  EffectivePolicy again = effective_policy({e.document});
  FUZZ_CHECK(again.document == e.document);
  FUZZ_CHECK(warden::to_json(again.agent) == warden::to_json(e.agent));
  FUZZ_CHECK(again.sweep.cron == e.sweep.cron);
  FUZZ_CHECK(again.sweep.spread_seconds == e.sweep.spread_seconds);
  // Merging the same document twice changes nothing.
  FUZZ_CHECK(effective_policy({doc, doc}).document == e.document);
  return 0;
}
