#include "agent/antivirus/clamd_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

namespace warden::agent {

std::optional<std::string> clamd_version(const std::string& socket_path, int timeout_ms) {
  sockaddr_un addr{};
  if (socket_path.empty() || socket_path.size() >= sizeof addr.sun_path) return std::nullopt;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, "zVERSION", 9, MSG_NOSIGNAL) == 9) {
    std::string reply;
    char buf[256];
    pollfd p{fd, POLLIN, 0};
    while (reply.size() < 1024 && poll(&p, 1, timeout_ms) == 1) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<size_t>(n));
      if (reply.find('\0') != std::string::npos) break;
    }
    auto nul = reply.find('\0');
    if (nul != std::string::npos) reply.resize(nul);
    while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r')) reply.pop_back();
    if (!reply.empty()) out = reply;
  }
  close(fd);
  return out;
}

std::string clamd_conf_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string k, v;
    if (!(words >> k) || k.empty() || k[0] == '#' || k != key) continue;
    std::getline(words >> std::ws, v);
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
    return v;
  }
  return {};
}

}  // namespace warden::agent
