// The collectors an agent may talk to: `--collector A:7443,B:7443` (several collectors sharing one
// PostgreSQL database and one CA), or one HOST:PORT whose DNS name has several addresses (gRPC
// tries each in turn). The agent keeps the list as given and fails over from one entry to the next.
#pragma once

#include <string>
#include <vector>

namespace warden::agent {

constexpr size_t kMaxCollectorAddresses = 16;

// Splits and validates a comma-separated list of HOST:PORT ([IPv6]:PORT allowed). Throws
// std::invalid_argument naming the bad entry: empty, no port, port out of range, a control
// character or space, more than kMaxCollectorAddresses entries, an entry given twice.
std::vector<std::string> parse_collector_addresses(const std::string& list);

// Which address to try after `current` failed: the next one, wrapping around. `attempts_in_round`
// counts the failures since the last session that got a hello; when it reaches the list's size,
// every collector has been tried and the caller waits for its backoff before the next round.
struct FailoverStep {
  size_t next = 0;
  bool round_complete = false;
};
FailoverStep next_collector(size_t current, size_t count, size_t attempts_in_round);

}  // namespace warden::agent
