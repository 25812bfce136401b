// Real processes for integration tests: a warden-collector on loopback with its own data dir,
// and warden-agents with their own state dirs, driven through their command lines and wardenctl.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"
#include "warden/v1/agent.pb.h"

namespace warden::test {

// A report whose one finding is av.running, failing critically or passing: every fail after a
// pass is an incident.
v1::AgentMessage critical_av_report(uint64_t seq, bool failing);

// Where the collectors of this test process keep their compliance database: SQLite in their data
// directory (the default), or, with WARDEN_TEST_BACKEND=postgresql, a database of their own on one
// throwaway PostgreSQL server per test process (tests/support/postgres_server.hpp). Any other value
// is refused with the ones it can be.
enum class TestBackend { sqlite, postgresql };
TestBackend test_backend();

class CollectorProcess {
 public:
  // `extra_args` are appended to every start's command line; `launcher` goes before it (e.g.
  // `ip netns exec NS`), and the agent port listens on `host` (default loopback).
  explicit CollectorProcess(std::filesystem::path dir, std::vector<std::string> extra_args = {},
                            std::vector<std::string> launcher = {}, std::string host = "127.0.0.1");
  void start();
  // The exit status; SIGKILL after `grace` (-9 then).
  int stop(int sig = 15, std::chrono::seconds grace = std::chrono::seconds(10));
  bool running() { return process_ && process_->running(); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  std::string address() const { return host_ + ":" + std::to_string(port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path socket() const { return data_dir_ / "admin.sock"; }
  // The SQLite file in the data directory (what the SQLite backend keeps; tests that open it
  // themselves are tagged [sqlite] and run on that backend only).
  std::filesystem::path database() const { return data_dir_ / "warden.db"; }
  // The postgresql:// URI of this collector's database on the PostgreSQL backend, else empty.
  const std::string& database_uri() const { return database_uri_; }
  // What a warden-collector command line needs to open this collector's database besides
  // --data-dir: `--database URI` on PostgreSQL, nothing on SQLite.
  std::vector<std::string> database_args() const;
  std::string fingerprint() const;
  std::string log() const;

  CommandResult ctl(std::vector<std::string> args) const;
  // wardenctl --json ARGS, parsed; REQUIREs success.
  nlohmann::json ctl_json(std::vector<std::string> args) const;
  std::string create_token(const std::string& department, const std::string& ttl = "1h",
                           int uses = 1) const;
  // Waits until `wardenctl status` counts exactly this many connected agents.
  bool wait_online(int hosts, std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;
  // First column of the first row of a read-only query on the compliance database, on either
  // backend (SQL both speak; a boolean reads as 0 or 1).
  int64_t scalar(const std::string& sql) const;
  // Runs SQL statements on the compliance database behind the collector's back (as another
  // writer would), on either backend.
  void execute(const std::string& sql) const;

 private:
  std::filesystem::path dir_, data_dir_;
  int port_;
  std::vector<std::string> extra_args_, launcher_;
  std::string host_;
  std::string database_uri_;
  std::unique_ptr<Process> process_;
};

class AgentProcess {
 public:
  AgentProcess(std::filesystem::path dir, const CollectorProcess& collector);
  CommandResult enroll(const std::string& token, const std::string& fingerprint = {});
  // The --collector list given at enrollment; empty: the collector's address.
  std::string collector_addresses;
  // Programs put before warden-agent when it runs (e.g. umockdev-wrapper).
  std::vector<std::string> launcher;
  void start(std::vector<std::string> extra = {});
  int stop(int sig = 15);
  void signal(int sig) {
    if (process_) process_->signal(sig);
  }
  bool running() { return process_ && process_->running(); }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  // Messages waiting in the agent's outbox (read from its SQLite file).
  int64_t outbox_depth() const;
  std::string agent_id() const;
  std::string log() const;

  // Opens a session with this agent's real identity (key and certificate from enrollment), sends
  // a hello and `messages`, and returns what the collector answered once every message is
  // acknowledged (or the stream ends).
  std::vector<v1::CollectorMessage> speak(const std::vector<v1::AgentMessage>& messages,
                                          const std::string& hostname = "pc-test");

 private:
  std::filesystem::path dir_, state_dir_;
  const CollectorProcess& collector_;
  std::unique_ptr<Process> process_;
};

}  // namespace warden::test
