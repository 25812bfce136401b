// Where the compliance database is: an SQLite file (the embedded default) or a PostgreSQL server
// (`postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?param=value...]`, libpq's URI syntax).
#pragma once

#include <string>

namespace warden::storage {

enum class Backend { sqlite, postgresql };

struct Location {
  Backend backend = Backend::sqlite;
  std::string target;  // the SQLite file's path, or the PostgreSQL connection URI

  Location() = default;
  // From a path or a `postgresql://` / `postgres://` URI (implicit: a path is a location).
  Location(const std::string& path_or_uri);  // NOLINT(google-explicit-constructor)
  Location(const char* path_or_uri) : Location(std::string(path_or_uri)) {}

  bool is_postgresql() const { return backend == Backend::postgresql; }
  // For logs and messages: the URI with any password replaced by "***".
  std::string display() const;
};

// Throws std::invalid_argument with a clear message for a URI that cannot be a PostgreSQL
// database (no database name, a scheme other than postgresql, control characters).
void validate_postgresql_uri(const std::string& uri);

}  // namespace warden::storage
