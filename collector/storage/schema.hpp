// The compliance database schema and its migrations, one list per backend, the same version
// numbers on both (docs/schema.md describes every table). SQLite's list starts at the foundation
// schema of 0.1; PostgreSQL's starts at version 5 (PostgreSQL support began there): a new
// PostgreSQL database is created at 5 in one step, and every later migration exists in both lists.
#pragma once

#include "collector/storage/database.hpp"

namespace warden::storage {

// Latest schema version this build knows.
int schema_version();

// The version the database is at (0 for an empty one).
int current_schema_version(Connection& db);

// Brings the database to schema_version(), one migration per transaction, recording the version
// (SQLite: PRAGMA user_version; PostgreSQL: the schema_version table). Refuses a database newer
// than this build. Several collectors may start at once on one PostgreSQL database: the first
// takes an advisory lock and migrates, the others wait for it and find nothing left to do.
void migrate(Connection& db);
// Up to `target` only: for upgrade tests, which build a database at the previous version.
void migrate(Connection& db, int target);

// Recomputes the query summaries: hosts.failing_checks and result_counts from latest_results,
// report_days from reports (by the department each host is in now). The collector keeps them as
// it writes; this is for migration 4 and for tools that load rows by other means (the query
// benchmark builds its fleet with plain inserts).
void rebuild_query_summaries(Connection& db);

namespace detail {
int sqlite_schema_version();
void migrate_sqlite(Connection& db, int target);
void rebuild_query_summaries_sqlite(Connection& db);
void migrate_postgresql(Connection& db, int target);
void rebuild_query_summaries_postgresql(Connection& db);
}  // namespace detail

}  // namespace warden::storage
