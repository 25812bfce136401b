#include "tests/support/postgres_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <stdexcept>

#include "common/files.hpp"

namespace warden::test {

namespace fs = std::filesystem;

namespace {

const fs::path kBin = "/usr/lib/postgresql/15/bin";

// Runs a PostgreSQL program as nobody (setpriv, util-linux).
std::vector<std::string> as_nobody(std::vector<std::string> argv) {
  std::vector<std::string> out = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                  "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void chown_tree(const fs::path& p, uid_t uid, gid_t gid) {
  if (chown(p.c_str(), uid, gid) != 0) throw std::runtime_error("cannot chown " + p.string());
}

}  // namespace

bool PostgresServer::available() {
  return fs::exists(kBin / "initdb") && fs::exists(kBin / "pg_ctl") && getpwnam("nobody");
}

PostgresServer::PostgresServer(Options options) : options_(std::move(options)) {
  if (!available())
    throw std::runtime_error("PostgreSQL 15 is not installed (deploy/install-deps.sh)");
  auto* pw = getpwnam("nobody");
  chown_tree(dir_.path(), pw->pw_uid, pw->pw_gid);
  data_ = dir_ / "data";
  auto r = run(as_nobody({(kBin / "initdb").string(), "-D", data_.string(), "-U", "warden", "-A",
                          "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}),
               {}, std::chrono::seconds(120));
  if (r.exit_code != 0) throw std::runtime_error("initdb failed: " + r.out + r.err);
  port_ = free_port();
  // Only the loopback, only trust for local connections (the test's own); quick and small.
  write_file(data_ / "postgresql.auto.conf",
             "listen_addresses = '" + options_.address + "'\nport = " + std::to_string(port_) +
                 "\nunix_socket_directories = '" + dir_.path().string() +
                 "'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                 "shared_buffers = 64MB\nmax_connections = 200\nlog_min_messages = warning\n");
  chown_tree(data_ / "postgresql.auto.conf", pw->pw_uid, pw->pw_gid);
  if (options_.address != "127.0.0.1") {  // a namespace's own link: trust the subnet it is on
    std::string hba = files::read(data_ / "pg_hba.conf") + "host all all samenet trust\n";
    files::write_atomic(data_ / "pg_hba.conf", hba, 0600);
    chown_tree(data_ / "pg_hba.conf", pw->pw_uid, pw->pw_gid);
  }
  start();
}

PostgresServer::~PostgresServer() {
  try {
    if (running_) pg_ctl({"stop", "-m", "immediate"});
  } catch (...) {
  }
}

void PostgresServer::pg_ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {(kBin / "pg_ctl").string(),    "-D", data_.string(), "-w", "-l",
                                   (dir_ / "server.log").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv = as_nobody(argv);
  if (!options_.netns.empty()) argv.insert(argv.begin(), {"ip", "netns", "exec", options_.netns});
  auto r = run(argv, {}, std::chrono::seconds(120));
  if (r.exit_code != 0) {
    std::string log;
    try {
      log = files::read(dir_ / "server.log");
    } catch (...) {
    }
    throw std::runtime_error("pg_ctl " + args.front() + " failed: " + r.out + r.err + log);
  }
}

void PostgresServer::start() {
  pg_ctl({"start"});
  running_ = true;
}

void PostgresServer::stop() {
  pg_ctl({"stop", "-m", "fast"});
  running_ = false;
}

void PostgresServer::restart() {
  stop();
  start();
}

std::string PostgresServer::uri(const std::string& database) const {
  return "postgresql://warden@" + options_.address + ":" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::psql(const std::string& sql, const std::string& database) const {
  auto r = run({(kBin / "psql").string(), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d",
                uri(database), "-c", sql});
  if (r.exit_code != 0) throw std::runtime_error("psql failed: " + r.err);
  return r.out;
}

std::string PostgresServer::create_database() {
  std::string name = "warden_test_" + std::to_string(++databases_);
  psql("CREATE DATABASE " + name);
  return uri(name);
}

PostgresServer& shared_postgres() {
  static PostgresServer server;
  return server;
}

}  // namespace warden::test
