#include "collector/enrollment_throttle.hpp"

namespace warden::collector {

void EnrollmentThrottle::prune(std::deque<std::chrono::steady_clock::time_point>& q,
                               std::chrono::steady_clock::time_point now) const {
  while (!q.empty() && now - q.front() > window_) q.pop_front();
}

bool EnrollmentThrottle::allowed(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(address);
  if (it == failures_.end()) return true;
  prune(it->second, std::chrono::steady_clock::now());
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return it->second.size() < max_failures_;
}

void EnrollmentThrottle::record_failure(const std::string& address) {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  auto& q = failures_[address];
  prune(q, now);
  q.push_back(now);
  if (failures_.size() > 100000) failures_.clear();  // bound memory under a scan
}

std::string peer_address(const std::string& peer) {
  std::string s = peer;
  for (const char* prefix : {"ipv4:", "ipv6:"}) {
    if (s.rfind(prefix, 0) == 0) {
      s = s.substr(5);
      auto colon = s.rfind(':');
      if (colon != std::string::npos) s = s.substr(0, colon);
      if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
      return s;
    }
  }
  return s;
}

}  // namespace warden::collector
