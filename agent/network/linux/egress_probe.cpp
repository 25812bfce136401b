#include "agent/network/egress_probe.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden::agent {

namespace {

EgressAttempt attempt(const std::string& target, int timeout_ms) {
  EgressAttempt a{target, false, ""};
  auto colon = target.rfind(':');
  std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    a.detail = std::string("name does not resolve: ") + gai_strerror(rc);
    return a;
  }
  for (addrinfo* ai = res; ai && !a.reachable; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
      int err = 0;
      socklen_t len = sizeof err;
      if (rc == 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (rc != 0)
        a.detail = "timed out after " + std::to_string(timeout_ms) + " ms";
      else if (err)
        a.detail = std::strerror(err), rc = -1;
    } else if (rc != 0) {
      a.detail = std::strerror(errno);
    }
    if (rc == 0) {
      char h[NI_MAXHOST], s[NI_MAXSERV];
      getnameinfo(ai->ai_addr, ai->ai_addrlen, h, sizeof h, s, sizeof s,
                  NI_NUMERICHOST | NI_NUMERICSERV);
      a.reachable = true;
      a.detail = std::string("connected to ") + h + ":" + s;
    }
    close(fd);
  }
  freeaddrinfo(res);
  return a;
}

}  // namespace

std::vector<EgressAttempt> probe_egress(const std::vector<std::string>& targets, int timeout_ms) {
  std::vector<EgressAttempt> out;
  for (const auto& t : targets) out.push_back(attempt(t, timeout_ms));
  return out;
}

}  // namespace warden::agent
