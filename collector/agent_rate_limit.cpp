#include "collector/agent_rate_limit.hpp"

#include <algorithm>

namespace warden::collector {

std::string AgentRateLimiter::admit(int64_t host_id, size_t bytes, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto [it, fresh] =
      hosts_.try_emplace(host_id, Buckets{limits_.burst_messages, limits_.burst_bytes, now});
  auto& b = it->second;
  if (!fresh && now > b.refilled) {
    double seconds = std::chrono::duration<double>(now - b.refilled).count();
    b.messages =
        std::min(limits_.burst_messages, b.messages + seconds * limits_.messages_per_second);
    b.bytes = std::min(limits_.burst_bytes, b.bytes + seconds * limits_.bytes_per_second);
    b.refilled = now;
  }
  auto size = static_cast<double>(bytes);
  if (b.messages < 1)
    return "rate limit: more than " + std::to_string(static_cast<int64_t>(limits_.burst_messages)) +
           " messages at once or " +
           std::to_string(static_cast<int64_t>(limits_.messages_per_second)) +
           "/s sustained; resend later";
  if (b.bytes < size)
    return "rate limit: more than " +
           std::to_string(static_cast<int64_t>(limits_.bytes_per_second)) +
           " bytes/s sustained; resend later";
  b.messages -= 1;
  b.bytes -= size;
  return {};
}

}  // namespace warden::collector
