// Shared helpers for Warden's tests: temporary directories, real subprocesses, free ports.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace warden::test {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv to completion (no shell) with optional extra environment; stdout/stderr captured.
CommandResult run(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env = {},
                  std::chrono::seconds timeout = std::chrono::seconds(60));

// A background process (no shell); killed with SIGTERM then SIGKILL on destruction.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
          const std::map<std::string, std::string>& env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Sends SIGTERM (or sig) and waits; returns the exit status (or -signal).
  int stop(int sig = 15, std::chrono::seconds grace = std::chrono::seconds(10));
  std::string log() const;

 private:
  void dump_stacks();
  pid_t pid_ = -1;
  std::filesystem::path log_file_;
  bool reaped_ = false;
  int status_ = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Polls `pred` every 20 ms until it is true or the timeout passes; returns its last value.
bool wait_for(const std::function<bool()>& pred,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(15000));

// Writes a file, creating its parent directories.
void write_file(const std::filesystem::path& path, const std::string& text);
// UTF-8 text re-encoded as GB18030 (glibc iconv), as Chinese spreadsheet programs save CSV.
std::string to_gb18030(const std::string& utf8);
// The records of a umockdev fixture file, without its leading comment lines (umockdev wants
// records only), ready for umockdev_testbed_add_from_string.
std::string umockdev_records(const std::filesystem::path& fixture);

// The first column of the first row `sql` returns from the SQLite database at `db_path` (read
// only); -1 when it returns no row.
int64_t scalar(const std::filesystem::path& db_path, const std::string& sql);

// Path of a built binary (warden-collector, warden-agent, wardenctl).
std::filesystem::path binary(const std::string& name);

}  // namespace warden::test
