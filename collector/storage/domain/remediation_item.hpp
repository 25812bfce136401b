// The problem list (整改措施) as its repository keeps it
// (collector/database/store_remediation.cpp): one item per host and check while open, with the
// measure, the person responsible and the deadline. Plain values; the admin layer validates what is
// set and converts the results (collector/admin/remediation_messages.hpp), the deadline's local
// date included.
#pragma once

#include <cstdint>
#include <string>

namespace warden::collector::domain {

struct RemediationItem {
  int64_t id = 0;
  std::string agent_id;
  std::string hostname;
  std::string department;
  std::string owner;
  std::string check;
  std::string measure;
  std::string person;
  int64_t deadline_ms = 0;  // the instant the local day after the deadline date begins
  std::string status;       // open | closed
  std::string note;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t closed_at_ms = 0;  // 0 while open
  std::string created_by;
  std::string closed_by;
  bool overdue = false;  // open and past its deadline at the time it was read
  std::string result;    // the check's latest status on the host ("" if none)
};

// Which items a list shows, overdue first, then open, then closed.
struct RemediationFilter {
  bool overdue_only = false;  // open items past their deadline
  std::string department;     // this department and those below it ("" = all)
  bool include_closed = false;
};

}  // namespace warden::collector::domain
