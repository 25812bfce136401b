#include "collector/storage/database.hpp"

#include "collector/storage/postgres/postgres_database.hpp"
#include "collector/storage/sqlite/sqlite_database.hpp"

namespace warden::storage {

std::unique_ptr<Connection> connect(const Location& location) {
  if (location.is_postgresql()) return connect_postgresql(location.target);
  return connect_sqlite(location.target);
}

}  // namespace warden::storage
