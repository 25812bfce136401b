// The fleet at a glance (wardenctl status): host counts, per department and per check. The same
// shape serves a collector's own hosts and, at the level above, one unit's forwarded hosts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/finding.hpp"

namespace warden::collector::domain {

struct CheckCount {
  std::string check;
  uint32_t pass = 0;
  uint32_t fail = 0;
  uint32_t error = 0;
  uint32_t not_applicable = 0;
};

// Adds n hosts with `status` (a status the schema cannot hold is not counted).
inline void count_status(CheckCount& c, std::optional<Status> status, uint32_t n) {
  if (status == Status::pass) c.pass += n;
  if (status == Status::fail) c.fail += n;
  if (status == Status::error) c.error += n;
  if (status == Status::not_applicable) c.not_applicable += n;
}

struct DepartmentCount {
  std::string department;
  uint32_t hosts = 0;
  uint32_t online = 0;
  uint32_t failing = 0;
};

struct FleetStatus {
  uint32_t hosts_total = 0;  // not revoked
  uint32_t hosts_online = 0;
  uint32_t hosts_offline = 0;
  uint32_t hosts_revoked = 0;
  uint32_t hosts_failing = 0;
  std::vector<CheckCount> checks;            // by check ID
  std::vector<DepartmentCount> departments;  // by department
};

// Counts hosts and results into a FleetStatus (Store::status, CascadeStore::unit_status).
class FleetStatusTally {
 public:
  void host(const std::string& department, bool revoked, bool online, bool failing) {
    if (revoked) {
      ++status_.hosts_revoked;
      return;
    }
    ++status_.hosts_total;
    auto& d = departments_[department];
    d.department = department;
    ++d.hosts;
    if (online) {
      ++status_.hosts_online;
      ++d.online;
    }
    if (failing) {
      ++status_.hosts_failing;
      ++d.failing;
    }
  }
  void result(const std::string& check, std::optional<Status> status, uint32_t hosts) {
    auto& c = checks_[check];
    c.check = check;
    count_status(c, status, hosts);
  }
  FleetStatus take() {
    status_.hosts_offline = status_.hosts_total - status_.hosts_online;
    for (auto& [_, d] : departments_) status_.departments.push_back(std::move(d));
    for (auto& [_, c] : checks_) status_.checks.push_back(std::move(c));
    departments_.clear();
    checks_.clear();
    return std::move(status_);
  }

 private:
  FleetStatus status_;
  std::map<std::string, DepartmentCount> departments_;
  std::map<std::string, CheckCount> checks_;
};

}  // namespace warden::collector::domain
