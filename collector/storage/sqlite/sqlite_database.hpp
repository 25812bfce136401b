// The embedded backend: the compliance database in one SQLite file (WAL, foreign keys, a busy
// timeout; common/sqlite.hpp does the C API).
#pragma once

#include <memory>
#include <string>

#include "collector/storage/database.hpp"
#include "common/sqlite.hpp"

namespace warden::storage {

std::unique_ptr<Connection> connect_sqlite(const std::string& path);

// The SQLite connection under a storage::Connection, for the few things only SQLite has (the
// online backup API); nullptr for other backends.
sqlite::Connection* sqlite_handle(Connection& conn);

}  // namespace warden::storage
