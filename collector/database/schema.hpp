// The compliance database schema and its migrations (docs/schema.md describes every table).
#pragma once

#include "common/sqlite.hpp"

namespace warden::collector {

// Latest schema version this build knows.
int schema_version();

// Brings the database to schema_version(), one migration per transaction, recording the version
// in PRAGMA user_version. Refuses a database newer than this build.
void migrate(sqlite::Connection& db);

// Recomputes the query summaries: hosts.failing_checks and result_counts from latest_results,
// report_days from reports (by the department each host is in now). The collector keeps them as
// it writes; this is for migration 4 and for tools that load rows by other means (the query
// benchmark builds its fleet with plain inserts).
void rebuild_query_summaries(sqlite::Connection& db);

}  // namespace warden::collector
