#include "collector/storage/schema.hpp"

namespace warden::storage {

int schema_version() {
  return detail::sqlite_schema_version();  // both lists end at the same version
}

int current_schema_version(Connection& db) {
  if (db.backend() == Backend::sqlite)
    return static_cast<int>(db.scalar_int("PRAGMA user_version"));
  if (db.scalar_int("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                    "current_schema() AND tablename = 'schema_version'") == 0)
    return 0;
  return static_cast<int>(db.scalar_int("SELECT version FROM schema_version"));
}

void migrate(Connection& db) {
  migrate(db, schema_version());
}

void migrate(Connection& db, int target) {
  if (db.backend() == Backend::sqlite)
    detail::migrate_sqlite(db, target);
  else
    detail::migrate_postgresql(db, target);
}

void rebuild_query_summaries(Connection& db) {
  if (db.backend() == Backend::sqlite)
    detail::rebuild_query_summaries_sqlite(db);
  else
    detail::rebuild_query_summaries_postgresql(db);
}

}  // namespace warden::storage
