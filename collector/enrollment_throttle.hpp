// Slows down token guessing: after too many failed enrollments from one address within a window,
// further attempts from it are refused until the window passes.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace warden::collector {

class EnrollmentThrottle {
 public:
  EnrollmentThrottle(size_t max_failures = 5,
                     std::chrono::seconds window = std::chrono::seconds(60))
      : max_failures_(max_failures), window_(window) {}
  bool allowed(const std::string& address);
  void record_failure(const std::string& address);

 private:
  void prune(std::deque<std::chrono::steady_clock::time_point>& q,
             std::chrono::steady_clock::time_point now) const;
  size_t max_failures_;
  std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

// "ipv4:10.1.2.3:5555" -> "10.1.2.3"; "ipv6:[::1]:5555" -> "::1"; anything else unchanged.
std::string peer_address(const std::string& grpc_peer);

}  // namespace warden::collector
