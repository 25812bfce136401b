#include "tests/support/test_support.hpp"

#include "common/files.hpp"
#include "common/sqlite.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <iconv.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef WARDEN_BINARY_DIR
#error "WARDEN_BINARY_DIR must be defined"
#endif

namespace warden::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/warden-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("WARDEN_KEEP_TEST_DIRS")) fs::remove_all(path_, ec);
}

namespace {

std::vector<char*> to_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

void apply_env(const std::map<std::string, std::string>& env) {
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
}

}  // namespace

CommandResult run(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env, std::chrono::seconds timeout) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    apply_env(env);
    auto args = to_argv(argv);
    execvp(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool killed = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(got));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (killed) {
    r.exit_code = -1;
    r.err += "\n[test support: killed after timeout]";
  } else if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.exit_code = -WTERMSIG(status);
  }
  return r;
}

Process::Process(const std::vector<std::string>& argv, const fs::path& log_file,
                 const std::map<std::string, std::string>& env)
    : log_file_(log_file) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    apply_env(env);
    auto args = to_argv(argv);
    execvp(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
}

Process::~Process() {
  if (!reaped_) stop(SIGTERM, std::chrono::seconds(5));
}

bool Process::running() {
  if (reaped_) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
    return false;
  }
  return true;
}

void Process::signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

int Process::stop(int sig, std::chrono::seconds grace) {
  if (reaped_) return status_;
  kill(pid_, sig);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  dump_stacks();
  kill(pid_, SIGKILL);
  int st = 0;
  waitpid(pid_, &st, 0);
  reaped_ = true;
  status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
  return status_;
}

// A process that does not stop in its grace is a bug worth seeing: every thread's stack goes to
// its log before SIGKILL (when gdb is installed; deploy/install-deps.sh installs it).
void Process::dump_stacks() {
  if (access("/usr/bin/gdb", X_OK) != 0) return;
  std::string cmd = "/usr/bin/gdb -batch -nx -p " + std::to_string(pid_) +
                    " -ex 'thread apply all bt' >>'" + log_file_.string() + "' 2>&1";
  std::ofstream(log_file_, std::ios::app) << "\n[test support: still running after its grace; "
                                             "the stacks of its threads follow]\n";
  if (std::system(cmd.c_str()) != 0)
    std::ofstream(log_file_, std::ios::app) << "[test support: gdb failed]\n";
}

std::string Process::log() const {
  std::ifstream in(log_file_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string umockdev_records(const std::filesystem::path& fixture) {
  std::string text, line;
  std::istringstream in(files::read(fixture));
  while (std::getline(in, line))
    if (line.empty() || line[0] != '#') text += line + "\n";
  return text;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::runtime_error("iconv cannot convert to GB18030");
  std::string out(utf8.size() * 2 + 4, '\0');
  char* src = const_cast<char*>(utf8.data());
  size_t sl = utf8.size(), dl = out.size();
  char* dst = out.data();
  iconv(cd, &src, &sl, &dst, &dl);
  iconv_close(cd);
  out.resize(out.size() - dl);
  return out;
}

int64_t scalar(const fs::path& db_path, const std::string& sql) {
  sqlite::Connection db(db_path.string(), true);
  auto st = db.prepare(sql);
  return st.step() ? st.column_int(0) : -1;
}

fs::path binary(const std::string& name) {
  for (const char* sub : {"agent", "collector", "collector/wardenctl", ""}) {
    fs::path p = fs::path(WARDEN_BINARY_DIR) / sub / name;
    if (fs::is_regular_file(p)) return p;
  }
  throw std::runtime_error("binary not built: " + name);
}

}  // namespace warden::test
