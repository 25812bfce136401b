// wardenctl's connection to the collector's admin socket and the output helpers its commands share.
#pragma once

#include <grp.h>
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "common/duration.hpp"
#include "common/error_status.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/version.hpp"
#include "warden/v1/admin.grpc.pb.h"

namespace warden::ctl {

using nlohmann::json;

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
    if (slash == std::string::npos || slash == 0) return "run wardenctl as root";
    at.resize(slash);
  }
  if ((st.st_mode & 0060) && st.st_gid != 0) {
    auto* gr = getgrgid(st.st_gid);
    std::string group = gr ? gr->gr_name : std::to_string(st.st_gid);
    auto* me = getpwuid(getuid());
    return "it is for members of the group " + group + ": ask an admin to run `adduser " +
           std::string(me ? me->pw_name : "<you>") + " " + group + "`, then log in again";
  }
  auto* pw = getpwuid(st.st_uid);
  std::string owner = pw ? pw->pw_name : "uid " + std::to_string(st.st_uid);
  return "the admin socket is for root and " + owner + " (`runuser -u " + owner +
         " -- wardenctl ...`); auditors use their read-only socket: wardenctl -s " + kAuditSocket +
         " ...";
}

struct Context {
  std::string socket = std::string(kCollectorDataDir) + "/admin.sock";
  bool as_json = false;
  std::unique_ptr<v1::AdminService::Stub> stub;

  v1::AdminService::Stub& admin() {
    if (!stub) {
      errno = 0;
      if (access(socket.c_str(), F_OK) != 0 && errno != EACCES)
        throw std::runtime_error(
            "no admin socket at " + socket +
            ": is warden-collector running? (use -s PATH for another data dir)");
      if (access(socket.c_str(), R_OK | W_OK) != 0)
        throw std::runtime_error("permission denied on " + socket + ": " + who_may_use(socket));
      stub = v1::AdminService::NewStub(
          grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials()));
    }
    return *stub;
  }
};

inline std::string whoami() {
  if (auto* pw = getpwuid(getuid())) return pw->pw_name;
  return "uid " + std::to_string(getuid());
}

// Calls an admin RPC with a deadline and turns failures into an error a person can act on.
template <typename Req, typename Resp, typename Method>
Resp call(Context& ctx, Method method, const Req& req) {
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
      e.message = "cannot reach the collector at " + ctx.socket + ": " + st.error_message();
    throw Failure(std::move(e));
  }
  return resp;
}

inline void print(const Context& ctx, const json& j, const std::string& text) {
  if (ctx.as_json)
    std::cout << j.dump(2) << "\n";
  else
    std::cout << text;
}

inline std::string status_name(v1::Status s) {
  return std::string(to_string(from_proto(s)));
}
inline std::string severity_name(v1::Severity s) {
  return std::string(to_string(from_proto(s)));
}

inline json evidence_of(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

inline json token_json(const v1::TokenInfo& t) {
  return {{"id", t.id()},
          {"department", t.department()},
          {"created_at", format_time_utc(t.created_at_ms())},
          {"expires_at", format_time_utc(t.expires_at_ms())},
          {"max_uses", t.max_uses()},
          {"uses", t.uses()},
          {"revoked", t.revoked()},
          {"expired", t.expires_at_ms() <= now_ms()}};
}

inline json host_json(const v1::HostSummary& h) {
  return {{"agent_id", h.agent_id()},
          {"hostname", h.hostname()},
          {"department", h.department()},
          {"online", h.online()},
          {"last_seen", format_time_utc(h.last_seen_ms())},
          {"failing", std::vector<std::string>(h.failing().begin(), h.failing().end())},
          {"os", h.os_name()},
          {"address", h.peer_address()},
          {"revoked", h.revoked()},
          {"enrolled_at", format_time_utc(h.enrolled_at_ms())},
          {"owner", h.owner()},
          {"classification", h.classification()}};
}

inline json finding_json(const v1::StoredFinding& f) {
  return {{"agent_id", f.agent_id()},
          {"hostname", f.hostname()},
          {"check", f.finding().check()},
          {"status", status_name(f.finding().status())},
          {"severity", severity_name(f.finding().severity())},
          {"summary", f.finding().summary()},
          {"evidence", evidence_of(f.finding().evidence_json())},
          {"since", format_time_utc(f.since_ms())},
          {"updated_at", format_time_utc(f.updated_at_ms())},
          {"sweep_id", f.sweep_id()}};
}

inline std::string join(const google::protobuf::RepeatedPtrField<std::string>& v,
                        const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "2026-11-01" (midnight UTC) or "2026-11-01T08:30:00Z" -> Unix ms.
inline int64_t date_arg(const std::string& text, const char* flag) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end || *end)
    throw std::runtime_error(std::string(flag) + " '" + text +
                             "' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

inline std::chrono::seconds duration_arg(const std::string& text, const char* flag) {
  auto d = parse_duration(text);
  if (!d)
    throw std::runtime_error(std::string(flag) + " '" + text +
                             "' is not a duration (examples: 90s, 15m, 12h, 7d)");
  return *d;
}

}  // namespace warden::ctl
