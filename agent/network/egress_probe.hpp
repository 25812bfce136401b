// The egress probe: from a PC that must stay on the intranet, try TCP connections to the
// policy's probe targets. Each attempt is bounded by a timeout.
#pragma once

#include <string>
#include <vector>

namespace warden::agent {

struct EgressAttempt {
  std::string target;  // host:port as in the policy
  bool reachable = false;
  std::string detail;  // "connected to 192.0.2.1:443", or why not
};

std::vector<EgressAttempt> probe_egress(const std::vector<std::string>& targets, int timeout_ms);

}  // namespace warden::agent
