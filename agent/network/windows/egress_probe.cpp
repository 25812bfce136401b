// probe_egress on Windows: non-blocking Winsock connect, bounded by select().
// clang-format off
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
// clang-format on

#include "agent/network/egress_probe.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

struct WinsockSession {
  bool ok = false;
  WinsockSession() {
    WSADATA data;
    ok = WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }
  ~WinsockSession() {
    if (ok) WSACleanup();
  }
};

EgressAttempt attempt(const std::string& target, int timeout_ms) {
  EgressAttempt a{target, false, ""};
  auto colon = target.rfind(':');
  std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    a.detail = "name does not resolve: " + win32::error_text(static_cast<DWORD>(rc));
    return a;
  }
  for (addrinfo* ai = res; ai && !a.reachable; ai = ai->ai_next) {
    SOCKET s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (s == INVALID_SOCKET) continue;
    u_long nonblocking = 1;
    ioctlsocket(s, FIONBIO, &nonblocking);
    int rc = connect(s, ai->ai_addr, static_cast<int>(ai->ai_addrlen));
    if (rc != 0 && WSAGetLastError() == WSAEWOULDBLOCK) {
      fd_set writable, failed;
      FD_ZERO(&writable);
      FD_ZERO(&failed);
      FD_SET(s, &writable);
      FD_SET(s, &failed);
      timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      int n = select(0, nullptr, &writable, &failed, &tv);
      int err = 0;
      int len = sizeof err;
      if (n == 1) getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len);
      if (n == 0) {
        a.detail = "timed out after " + std::to_string(timeout_ms) + " ms", rc = -1;
      } else if (n < 0) {
        a.detail = win32::error_text(static_cast<DWORD>(WSAGetLastError())), rc = -1;
      } else if (err != 0 || FD_ISSET(s, &failed)) {
        a.detail = win32::error_text(static_cast<DWORD>(err ? err : WSAECONNREFUSED)), rc = -1;
      } else {
        rc = 0;
      }
    } else if (rc != 0) {
      a.detail = win32::error_text(static_cast<DWORD>(WSAGetLastError()));
    }
    if (rc == 0) {
      char h[NI_MAXHOST], sv[NI_MAXSERV];
      getnameinfo(ai->ai_addr, static_cast<socklen_t>(ai->ai_addrlen), h, sizeof h, sv, sizeof sv,
                  NI_NUMERICHOST | NI_NUMERICSERV);
      a.reachable = true;
      a.detail = std::string("connected to ") + h + ":" + sv;
    }
    closesocket(s);
  }
  freeaddrinfo(res);
  return a;
}

}  // namespace

std::vector<EgressAttempt> probe_egress(const std::vector<std::string>& targets, int timeout_ms) {
  WinsockSession winsock;
  if (!winsock.ok) win32::fail("WSAStartup", static_cast<DWORD>(WSAGetLastError()));
  std::vector<EgressAttempt> out;
  for (const auto& t : targets) out.push_back(attempt(t, timeout_ms));
  return out;
}

}  // namespace warden::agent
