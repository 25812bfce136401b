// What the benchmarks send and the baseline they are measured against, shared so that every
// benchmark reports the same kind of ratio: realistic reports (the checks an agent runs, a tenth
// of the results changing between sweeps), and the raw SQLite limit for the same rows.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include "collector/storage/database.hpp"

#include "warden/v1/agent.pb.h"

namespace warden::bench {

// The facts a real agent reports for host number `host` (what `warden-agent check --json` prints
// on a Debian 12 desktop: antivirus, hygiene, two interfaces with the host's own IP and MAC, a
// USB keyboard, eight pending updates; about 5 KB), the same from one sweep to the next.
std::string host_facts(int host);

// A report with `findings` results carrying `facts`; seq also drives which results fail.
std::shared_ptr<v1::AgentMessage> make_report(uint64_t seq, int findings,
                                              const std::string& facts = "{}");

// `rounds[r][h]` is host h's report of round r. Inserts the rows the collector would write for
// them (report row, latest-result upsert, history row for failing results) with plain prepared
// statements, one transaction per round, into a fresh database at `db` (same schema as the
// collector's); returns the seconds the inserts took.
double raw_sqlite_seconds(
    const std::filesystem::path& db,
    const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds);
// The same through the storage seam into the (empty) database at `db`: SQLite or PostgreSQL.
double raw_database_seconds(
    const storage::Location& db,
    const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds);

}  // namespace warden::bench
