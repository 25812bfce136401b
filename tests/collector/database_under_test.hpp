// The compliance database a collector test runs on. The same test sources build twice:
// collector_unit_tests on a fresh SQLite file per test, and collector_postgresql_tests
// (WARDEN_TEST_POSTGRESQL) on a fresh database of a throwaway PostgreSQL server that the test
// process starts itself (tests/support/postgres_server.hpp). Tests assert through the Store and
// the Ingestor; where they look at rows, they do it through the storage seam with SQL both
// backends speak (json_field() for the one expression that differs).
#pragma once

#include <string>

#include "collector/storage/database.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/test_support.hpp"

namespace warden::test {

constexpr bool kOnPostgresql =
#ifdef WARDEN_TEST_POSTGRESQL
    true;
#else
    false;
#endif

// A new, empty database: `name` in `dir` (SQLite) or a new database on the shared server.
inline std::string fresh_database(const TempDir& dir, const std::string& name = "warden.db") {
  if constexpr (kOnPostgresql) return shared_postgres().create_database();
  return (dir / name).string();
}

inline std::unique_ptr<storage::Connection> open_database(const std::string& location) {
  return storage::connect(storage::Location(location));
}

// The first column of the first row; -1 when there is no row.
inline int64_t scalar(const std::string& location, const std::string& sql) {
  auto db = open_database(location);
  auto st = db->prepare(sql);
  return st.step() ? st.column_int(0) : -1;
}

// `column`'s JSON object's member `key`, as an SQL expression.
inline std::string json_field(const std::string& column, const std::string& key) {
  if constexpr (kOnPostgresql) return "(" + column + "->>'" + key + "')";
  return "json_extract(" + column + ", '$." + key + "')";
}

}  // namespace warden::test
