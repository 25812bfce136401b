// A throwaway PostgreSQL 15 cluster for tests: initdb under a temporary directory, run by an
// unprivileged user (nobody; PostgreSQL refuses to run as root), listening on 127.0.0.1 on a free
// port and on a Unix socket in its own directory, trust authentication for the loopback only.
// Nothing needs to be running beforehand; the cluster is stopped and removed with the object.
// Needs the postgresql-15 package (deploy/install-deps.sh) and root (to hand the directory to
// nobody).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/test_support.hpp"

namespace warden::test {

class PostgresServer {
 public:
  struct Options {
    // Run the server inside this network namespace (ip netns), listening on `address` there:
    // for partition tests, which cut the link to it.
    std::string netns;
    std::string address = "127.0.0.1";
  };
  PostgresServer() : PostgresServer(Options{}) {}
  explicit PostgresServer(Options options);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // postgresql://warden@ADDRESS:PORT/DB
  std::string uri(const std::string& database) const;
  // A new, empty database; returns its URI.
  std::string create_database();
  // Runs SQL as the superuser on the `postgres` database (psql), returning its stdout.
  std::string psql(const std::string& sql, const std::string& database = "postgres") const;
  // Stops the server (fast shutdown: connections are cut) and starts it again on the same port.
  void restart();
  void stop();
  void start();
  const std::filesystem::path& data_dir() const { return data_; }

  // True when the binaries are installed (tests skip with a message otherwise).
  static bool available();

 private:
  void pg_ctl(const std::vector<std::string>& args) const;
  Options options_;
  TempDir dir_;
  std::filesystem::path data_;
  int port_ = 0;
  int databases_ = 0;
  bool running_ = false;
};

// One server per test process, started on first use.
PostgresServer& shared_postgres();

}  // namespace warden::test
