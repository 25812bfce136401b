// wardenctl's connection to the collector's admin socket: who may use it, and call() for an RPC.
#pragma once

#include <grp.h>
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <iostream>
#include <string>

#include "common/error_status.hpp"
#include "common/i18n/i18n.hpp"
#include "common/validate.hpp"
#include "common/version.hpp"
#include "warden/v1/admin.grpc.pb.h"

namespace warden::ctl {

// Where the packaged collector serves auditors (audit_socket in /etc/warden/collector.conf).
inline constexpr const char* kAuditSocket = "/run/warden-collector/audit.sock";

// Who may use a socket this user may not: members of its group if the group may (the auditors'
// socket), else its owner and root (the admin socket). Looks at the socket, or at the nearest
// directory above it this user can see (the admin socket's directory is the collector's alone).
inline std::string who_may_use(const std::string& socket) {
  struct stat st {};
  std::string at = socket;
  while (stat(at.c_str(), &st) != 0) {
    auto slash = at.rfind('/');
    if (slash == std::string::npos || slash == 0) return i18n::tr("run wardenctl as root");
    at.resize(slash);
  }
  if ((st.st_mode & 0060) && st.st_gid != 0) {
    auto* gr = getgrgid(st.st_gid);
    std::string group = gr ? gr->gr_name : std::to_string(st.st_gid);
    auto* me = getpwuid(getuid());
    return i18n::trf(
        "it is for members of the group {1}: ask an admin to run `adduser {2} {1}`, then log in "
        "again",
        group, std::string(me ? me->pw_name : "<you>"));
  }
  auto* pw = getpwuid(st.st_uid);
  std::string owner = pw ? pw->pw_name : "uid " + std::to_string(st.st_uid);
  return i18n::trf(
      "the admin socket is for root and {1} (`runuser -u {1} -- wardenctl ...`); auditors use "
      "their read-only socket: wardenctl -s {2} ...",
      owner, kAuditSocket);
}

struct Context {
  std::string socket = std::string(kCollectorDataDir) + "/admin.sock";
  bool as_json = false;
  std::unique_ptr<v1::AdminService::Stub> stub;

  v1::AdminService::Stub& admin() {
    if (!stub) {
      errno = 0;
      if (access(socket.c_str(), F_OK) != 0 && errno != EACCES)
        throw Failure(unavailable(
            i18n::trf("no admin socket at {1}: is warden-collector running? (use -s PATH for "
                      "another data dir)",
                      socket)));
      if (access(socket.c_str(), R_OK | W_OK) != 0)
        throw Failure(
            denied(i18n::trf("permission denied on {1}: {2}", socket, who_may_use(socket))));
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(static_cast<int>(validate::kMaxAdminMessageBytes));
      args.SetMaxSendMessageSize(static_cast<int>(validate::kMaxAdminMessageBytes));
      stub = v1::AdminService::NewStub(
          grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args));
    }
    return *stub;
  }
};

inline std::string whoami() {
  if (auto* pw = getpwuid(getuid())) return pw->pw_name;
  return "uid " + std::to_string(getuid());
}

// Calls an admin RPC with a deadline and throws a failure a person can act on.
template <typename Req, typename Resp>
Resp call(Context& ctx,
          grpc::Status (v1::AdminService::Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
          const Req& req = {}) {
  auto& stub = ctx.admin();
  grpc::ClientContext cc;
  cc.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  Resp resp;
  grpc::Status st = (stub.*method)(&cc, req, &resp);
  if (!st.ok()) {
    Error e = from_status(st);
    // gRPC's own words when nothing answers on the socket; the collector's are passed on as is.
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE &&
        st.error_message().find("connect") != std::string::npos)
      e.message =
          i18n::trf("cannot reach the collector at {1}: {2}", ctx.socket, st.error_message());
    throw Failure(std::move(e));
  }
  return resp;
}

}  // namespace warden::ctl
