#include "collector/storage/postgres/postgres_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include "collector/storage/database.hpp"
#include "collector/storage/postgres/postgres_database.hpp"

namespace warden::storage {

struct PostgresListener::Impl {
  PGconn* conn = nullptr;
  ~Impl() {
    if (conn) PQfinish(conn);
  }
  [[noreturn]] void lost(const std::string& what) {
    std::string why = conn ? PQerrorMessage(conn) : "";
    if (auto nl = why.find('\n'); nl != std::string::npos) why.resize(nl);
    throw Error(Error::Kind::transient, "PostgreSQL listener: " + what + ": " + why);
  }
};

PostgresListener::PostgresListener(const std::string& uri, const std::string& channel)
    : impl_(std::make_unique<Impl>()) {
  impl_->conn = libpq_connect(uri);
  if (PQstatus(impl_->conn) != CONNECTION_OK) impl_->lost("cannot connect");
  char* quoted = PQescapeIdentifier(impl_->conn, channel.data(), channel.size());
  if (!quoted) impl_->lost("bad channel name");
  std::string sql = std::string("LISTEN ") + quoted;
  PQfreemem(quoted);
  PGresult* r = PQexec(impl_->conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) impl_->lost("LISTEN failed");
}

PostgresListener::~PostgresListener() = default;

std::vector<std::string> PostgresListener::wait(std::chrono::milliseconds timeout) {
  std::vector<std::string> out;
  auto drain = [&] {
    while (PGnotify* n = PQnotifies(impl_->conn)) {
      out.emplace_back(n->extra ? n->extra : "");
      PQfreemem(n);
    }
  };
  drain();
  if (!out.empty()) return out;
  pollfd pfd{PQsocket(impl_->conn), POLLIN, 0};
  if (pfd.fd < 0) impl_->lost("no socket");
  int ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return out;  // interrupted: the caller loops
  if (ready > 0) {
    if (!PQconsumeInput(impl_->conn) || PQstatus(impl_->conn) != CONNECTION_OK)
      impl_->lost("connection lost");
    drain();
  }
  return out;
}

}  // namespace warden::storage
