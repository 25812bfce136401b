// Policy JSON as an agent receives it from the collector (lenient) and as an admin imports it
// (strict): common/agent_policy.cpp. Invariants: what the strict parser accepts the lenient one
// accepts too, with the same result; an accepted policy re-serialises (to_json) and re-parses
// strictly to the same policy; failures are std::invalid_argument only.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "common/agent_policy.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using nlohmann::json;

namespace {

std::optional<json> parse(const json& j, bool strict) {
  try {
    return warden::to_json(warden::parse_agent_policy(j, strict));
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json doc = json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return 0;

  std::optional<json> strict = parse(doc, true);
  std::optional<json> lenient = parse(doc, false);
  if (strict) {
    FUZZ_CHECK(lenient && *lenient == *strict);
  }
  if (!lenient) return 0;

  // The canonical form is accepted strictly and is a fixed point.
  std::optional<json> again = parse(*lenient, true);
  FUZZ_CHECK(again && *again == *lenient);
  // ... also after a trip through text, as the collector pushes it.
  std::optional<json> reparsed = parse(json::parse(lenient->dump()), true);
  FUZZ_CHECK(reparsed && *reparsed == *lenient);
  return 0;
}
