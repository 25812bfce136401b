// What each check gives evidence for: the unit's written rule and the GB/T 22239-2019 (等保 2.0)
// control it belongs to, so that a self-check report tells an auditor which requirement every
// number answers. Data only; docs/checks/ explains each check at length.
#pragma once

#include <span>
#include <string_view>

namespace warden::collector {

struct CheckRequirement {
  std::string_view check;     // stable check ID
  std::string_view rule;      // the office network's rule, in its own words
  std::string_view standard;  // the GB/T 22239-2019 control area it evidences
};

// Every check Warden knows, in report order (by rule).
std::span<const CheckRequirement> check_requirements();
// The entry for `check`, or nullptr for a check this release does not know (a newer agent's).
const CheckRequirement* requirement_for(std::string_view check);

}  // namespace warden::collector
