#include "collector/unix_socket_server.hpp"

#include "common/validate.hpp"

#include <grpcpp/server_posix.h>
#include <poll.h>
#include <pwd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "common/entry_point.hpp"
#include "common/log.hpp"

namespace warden::collector {

namespace {

std::runtime_error failure(const std::filesystem::path& path, const std::string& what) {
  return std::runtime_error("cannot serve " + path.string() + ": " + what + " (" +
                            std::strerror(errno) + ")");
}

std::string user_name(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found)
    return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
  return "uid " + std::to_string(uid);
}

}  // namespace

UnixSocketServer::UnixSocketServer(std::filesystem::path path, grpc::Service& service, mode_t mode,
                                   gid_t gid)
    : path_(std::move(path)) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.string().size() >= sizeof addr.sun_path)
    throw std::runtime_error("socket path " + path_.string() + " is too long");
  std::memcpy(addr.sun_path, path_.c_str(), path_.string().size() + 1);
  std::filesystem::remove(path_);
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw failure(path_, "socket");
  mode_t old_umask = umask(0077);
  int bound = bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  umask(old_umask);
  if (bound != 0) {
    close(listen_fd_);
    throw failure(path_, "bind");
  }
  struct stat st {};
  if (gid != static_cast<gid_t>(-1) && stat(path_.c_str(), &st) == 0 && st.st_gid != gid &&
      chown(path_.c_str(), static_cast<uid_t>(-1), gid) != 0) {
    close(listen_fd_);
    throw failure(path_, "cannot give it its group");
  }
  if (chmod(path_.c_str(), mode) != 0 || listen(listen_fd_, 64) != 0) {
    close(listen_fd_);
    throw failure(path_, "listen");
  }
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  grpc::ServerBuilder builder;  // no listening port: connections are handed over one by one
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(static_cast<int>(validate::kMaxAdminMessageBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(validate::kMaxAdminMessageBytes));
  server_ = builder.BuildAndStart();
  if (!server_ || wake_fd_ < 0) {
    close(listen_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    throw failure(path_, "cannot start the service");
  }
  acceptor_ = std::thread([this] { guarded("admin", [&] { accept_loop(); }); });
}

UnixSocketServer::~UnixSocketServer() {
  shutdown(std::chrono::system_clock::now());
  close(listen_fd_);
  close(wake_fd_);
  // Gone with the service, so that nobody (a script, a test) mistakes a stale file for a
  // running collector.
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void UnixSocketServer::shutdown(std::chrono::system_clock::time_point deadline) {
  if (acceptor_.joinable()) {
    uint64_t one = 1;
    [[maybe_unused]] auto n = write(wake_fd_, &one, sizeof one);
    acceptor_.join();
    server_->Shutdown(deadline);
  }
}

void UnixSocketServer::accept_loop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      LOG_ERROR("admin", "poll on " << path_.string() << ": " << std::strerror(errno));
      return;
    }
    if (fds[1].revents) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) continue;
      LOG_WARN("admin", "accept on " << path_.string() << ": " << std::strerror(errno));
      if (errno == EMFILE || errno == ENFILE) poll(nullptr, 0, 100);  // out of descriptors
      continue;
    }
    ucred cred{};
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
      LOG_WARN("admin", "no peer credentials on " << path_.string() << "; connection refused");
      close(fd);
      continue;
    }
    {
      // A descriptor number is reused only after gRPC closed the old connection, and this entry
      // is written before the new one is handed over: a call never sees a stale name.
      std::lock_guard lock(mu_);
      callers_[fd] = user_name(cred.uid);
    }
    grpc::AddInsecureChannelFromFd(server_.get(), fd);
  }
}

std::string UnixSocketServer::caller(const std::string& peer) const {
  if (peer.rfind("fd:", 0) == 0) {
    try {
      int fd = std::stoi(peer.substr(3));
      std::lock_guard lock(mu_);
      if (auto it = callers_.find(fd); it != callers_.end()) return it->second;
    } catch (const std::exception&) {
    }
  }
  return "unknown caller";
}

}  // namespace warden::collector
