// The PostgreSQL backend's connection, on libpq (PostgreSQL's own C client, Debian's libpq5).
//
// Why libpq and not libpqxx 6.4 (Debian 12's): the collector's queries bind a number of
// parameters known only at run time, mixing text, integers, blobs and NULLs; libpqxx 6.4 offers
// that only through `prepare::invocation`, which it marks deprecated (an error under -Werror),
// and its variadic exec_prepared needs the arity at compile time. libpq gives exactly what the
// seam needs: server-side prepared statements per connection, per-parameter formats, SQLSTATE
// codes to classify errors, and the socket for LISTEN/NOTIFY.
//
// Statements are written with SQLite's `?` / `?N` placeholders; they are rewritten to `$N` once,
// when first prepared on a connection. Parameters go as text with their type left to the server
// (a blob goes as binary bytea). A connection that broke is re-established on the next use, and
// its prepared statements prepared again.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "collector/storage/database.hpp"

struct pg_conn;

namespace warden::storage {

std::unique_ptr<Connection> connect_postgresql(const std::string& uri);

// libpq's connection with the collector's defaults for what the URI leaves out: fail within
// seconds when the database stops answering (connect_timeout, TCP keepalives, tcp_user_timeout),
// application_name. Never null; check PQstatus.
pg_conn* libpq_connect(const std::string& uri);

// `?` and `?N` placeholders as PostgreSQL's `$N`, outside string literals, quoted identifiers
// and comments. Exposed for its unit test.
std::string postgres_placeholders(std::string_view sql);

}  // namespace warden::storage
