// What any party enrolling with a collector does before it spends its token: an agent with its
// collector, a unit's collector with the level above (cascade). The token is read from a file,
// the collector's TLS chain fetched without trusting it, and its CA pinned by fingerprint.
#pragma once

#include <string>
#include <vector>

namespace warden::enrollment {

// The token from a file (`-`: standard input), without surrounding whitespace. Refuses an empty
// or oversized file (a token is ~60 bytes; at most 4 KiB is read) with a clear error.
std::string read_enrollment_token(const std::string& path);

// Connects with TLS 1.3 and returns the certificate chain the server presents (PEM, leaf first).
// The connection is not trusted: callers pin a CA from it by fingerprint.
std::vector<std::string> fetch_server_chain(const std::string& host_port, int timeout_ms = 10000);

// Returns the pinned CA PEM: the certificate in `chain` whose fingerprint matches and which signed
// the leaf. Throws with a clear message if none does.
std::string pin_ca(const std::vector<std::string>& chain, const std::string& fingerprint);

}  // namespace warden::enrollment
