// wardenctl: the admin command line for a Warden collector, over its admin socket.
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <thread>

#include "collector/wardenctl/output.hpp"
#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/version.hpp"
#include "warden/v1/admin.grpc.pb.h"

using namespace warden;
using nlohmann::json;

namespace {

struct Context {
  std::string socket = std::string(kCollectorDataDir) + "/admin.sock";
  bool as_json = false;
  std::unique_ptr<v1::AdminService::Stub> stub;

  v1::AdminService::Stub& admin() {
    if (!stub) {
      if (access(socket.c_str(), F_OK) != 0)
        throw std::runtime_error("no admin socket at " + socket +
                                 ": is warden-collector running? (use -s PATH for another data dir)");
      if (access(socket.c_str(), R_OK | W_OK) != 0)
        throw std::runtime_error("permission denied on " + socket +
                                 ": run wardenctl as root or as the collector's user");
      stub = v1::AdminService::NewStub(
          grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials()));
    }
    return *stub;
  }
};

std::string whoami() {
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
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE)
      throw std::runtime_error("cannot reach the collector at " + ctx.socket + ": " + st.error_message());
    throw std::runtime_error(st.error_message());
  }
  return resp;
}

void print(const Context& ctx, const json& j, const std::string& text) {
  if (ctx.as_json)
    std::cout << j.dump(2) << "\n";
  else
    std::cout << text;
}

std::string status_name(v1::Status s) { return std::string(to_string(from_proto(s))); }
std::string severity_name(v1::Severity s) { return std::string(to_string(from_proto(s))); }

json evidence_of(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

json token_json(const v1::TokenInfo& t) {
  return {{"id", t.id()},
          {"department", t.department()},
          {"created_at", format_time_utc(t.created_at_ms())},
          {"expires_at", format_time_utc(t.expires_at_ms())},
          {"max_uses", t.max_uses()},
          {"uses", t.uses()},
          {"revoked", t.revoked()},
          {"expired", t.expires_at_ms() <= now_ms()}};
}

json host_json(const v1::HostSummary& h) {
  return {{"agent_id", h.agent_id()},
          {"hostname", h.hostname()},
          {"department", h.department()},
          {"online", h.online()},
          {"last_seen", format_time_utc(h.last_seen_ms())},
          {"failing", std::vector<std::string>(h.failing().begin(), h.failing().end())},
          {"os", h.os_name()},
          {"address", h.peer_address()},
          {"revoked", h.revoked()},
          {"enrolled_at", format_time_utc(h.enrolled_at_ms())}};
}

json finding_json(const v1::StoredFinding& f) {
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

std::string join(const google::protobuf::RepeatedPtrField<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::chrono::seconds duration_arg(const std::string& text, const char* flag) {
  auto d = parse_duration(text);
  if (!d)
    throw std::runtime_error(std::string(flag) + " '" + text +
                             "' is not a duration (examples: 90s, 15m, 12h, 7d)");
  return *d;
}

}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  CLI::App app{"wardenctl: query and steer a Warden collector"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.add_option("-s,--socket", ctx.socket, "Collector admin socket")->capture_default_str();
  app.add_flag("--json", ctx.as_json, "Machine-readable JSON output");
  auto json_flag = [&](CLI::App* sub) { sub->add_flag("--json", ctx.as_json, "Machine-readable JSON output"); };

  // token
  auto* token = app.add_subcommand("token", "Enrollment tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create a token agents enroll with");
  std::string department, ttl = "7d";
  uint32_t uses = 1;
  token_create->add_option("--department", department, "Department the enrolled hosts join")->required();
  token_create->add_option("--ttl", ttl, "How long the token is valid (e.g. 12h, 7d)")->capture_default_str();
  token_create->add_option("--uses", uses, "How many hosts may enroll with it")->capture_default_str();
  json_flag(token_create);
  auto* token_list = token->add_subcommand("list", "List tokens (never their secrets)");
  json_flag(token_list);
  auto* token_revoke = token->add_subcommand("revoke", "Revoke a token by its ID");
  std::string token_id;
  token_revoke->add_option("ID", token_id, "Token ID (the part before the dot)")->required();
  json_flag(token_revoke);

  auto* status = app.add_subcommand("status", "Fleet summary: hosts online/offline, results per check");
  json_flag(status);

  auto* hosts = app.add_subcommand("hosts", "List hosts");
  std::string failing, hosts_department;
  hosts->add_option("--failing", failing, "Only hosts failing this check");
  hosts->add_option("--department", hosts_department, "Only this department and those below it");
  json_flag(hosts);

  auto* host = app.add_subcommand("host", "One host and its latest findings");
  std::string host_key;
  host->add_option("HOST", host_key, "Agent ID or hostname")->required();
  json_flag(host);

  auto* revoke = app.add_subcommand("revoke", "Revoke a host's certificate (disconnects it at once)");
  std::string revoke_key;
  revoke->add_option("HOST", revoke_key, "Agent ID or hostname")->required();
  json_flag(revoke);

  auto* findings = app.add_subcommand("findings", "Latest findings across the fleet");
  std::string check, status_filter;
  findings->add_option("--check", check, "Only this check ID");
  findings->add_option("--status", status_filter, "Only this status")
      ->check(CLI::IsMember({"pass", "fail", "error", "not_applicable"}));
  json_flag(findings);

  auto* sweep = app.add_subcommand("sweep", "Compliance sweeps");
  sweep->require_subcommand(1);
  auto* sweep_run = sweep->add_subcommand("run", "Ask every connected agent to run its checks now");
  bool wait = false;
  std::string timeout = "60s";
  sweep_run->add_flag("--wait", wait, "Wait until every agent answered (or the timeout)");
  sweep_run->add_option("--timeout", timeout, "How long --wait waits")->capture_default_str();
  json_flag(sweep_run);
  auto* sweep_show = sweep->add_subcommand("show", "Progress and result of a sweep");
  uint64_t sweep_id = 0;
  sweep_show->add_option("ID", sweep_id)->required();
  json_flag(sweep_show);

  CLI11_PARSE(app, argc, argv);

  try {
    int64_t now = now_ms();
    if (*token_create) {
      v1::CreateTokenRequest req;
      req.set_department(department);
      req.set_ttl_seconds(duration_arg(ttl, "--ttl").count());
      req.set_max_uses(uses);
      req.set_created_by(whoami());
      auto r = call<v1::CreateTokenRequest, v1::CreateTokenResponse>(ctx, &v1::AdminService::Stub::CreateToken, req);
      json j = token_json(r.info());
      j["token"] = r.token();
      print(ctx, j,
            r.token() + "\n(token " + r.info().id() + " for " + r.info().department() + ", " +
                std::to_string(r.info().max_uses()) + " use(s), expires " +
                format_time_utc(r.info().expires_at_ms()) + "; it is shown only now)\n");
    } else if (*token_list) {
      auto r = call<v1::ListTokensRequest, v1::ListTokensResponse>(ctx, &v1::AdminService::Stub::ListTokens, {});
      json j = json::array();
      ctl::Table t({"ID", "DEPARTMENT", "USES", "EXPIRES", "STATE"});
      for (const auto& tk : r.tokens()) {
        j.push_back(token_json(tk));
        std::string state = tk.revoked() ? "revoked"
                            : tk.expires_at_ms() <= now ? "expired"
                            : tk.uses() >= tk.max_uses() ? "used up" : "active";
        t.add({tk.id(), tk.department(), std::to_string(tk.uses()) + "/" + std::to_string(tk.max_uses()),
               format_time_utc(tk.expires_at_ms()), state});
      }
      print(ctx, j, t.empty() ? "no tokens\n" : t.render());
    } else if (*token_revoke) {
      v1::RevokeTokenRequest req;
      req.set_id(token_id);
      auto r = call<v1::RevokeTokenRequest, v1::RevokeTokenResponse>(ctx, &v1::AdminService::Stub::RevokeToken, req);
      print(ctx, token_json(r.info()), "revoked token " + r.info().id() + "\n");
    } else if (*status) {
      auto r = call<v1::GetStatusRequest, v1::GetStatusResponse>(ctx, &v1::AdminService::Stub::GetStatus, {});
      json checks = json::array();
      ctl::Table t({"CHECK", "PASS", "FAIL", "ERROR", "N/A"});
      for (const auto& c : r.checks()) {
        checks.push_back({{"check", c.check()}, {"pass", c.pass()}, {"fail", c.fail()},
                          {"error", c.error()}, {"not_applicable", c.not_applicable()}});
        t.add({c.check(), std::to_string(c.pass()), std::to_string(c.fail()),
               std::to_string(c.error()), std::to_string(c.not_applicable())});
      }
      json j = {{"hosts", {{"total", r.hosts_total()}, {"online", r.hosts_online()},
                           {"offline", r.hosts_offline()}, {"revoked", r.hosts_revoked()},
                           {"failing", r.hosts_failing()}}},
                {"checks", checks}};
      std::string text = "hosts: " + std::to_string(r.hosts_total()) + " total, " +
                         std::to_string(r.hosts_online()) + " online, " +
                         std::to_string(r.hosts_offline()) + " offline, " +
                         std::to_string(r.hosts_failing()) + " failing at least one check" +
                         (r.hosts_revoked() ? ", " + std::to_string(r.hosts_revoked()) + " revoked" : "") +
                         "\n\n" + (t.empty() ? "no results yet: run `wardenctl sweep run --wait`\n" : t.render());
      print(ctx, j, text);
    } else if (*hosts) {
      v1::ListHostsRequest req;
      req.set_failing_check(failing);
      req.set_department(hosts_department);
      auto r = call<v1::ListHostsRequest, v1::ListHostsResponse>(ctx, &v1::AdminService::Stub::ListHosts, req);
      json j = json::array();
      ctl::Table t({"HOSTNAME", "AGENT ID", "DEPARTMENT", "STATE", "LAST SEEN", "FAILING"});
      for (const auto& h : r.hosts()) {
        j.push_back(host_json(h));
        t.add({h.hostname(), h.agent_id(), h.department(),
               h.revoked() ? "revoked" : h.online() ? "online" : "offline",
               h.online() ? "now" : ctl::ago(h.last_seen_ms(), now), join(h.failing())});
      }
      print(ctx, j, t.empty() ? "no hosts\n" : t.render());
    } else if (*host || *revoke) {
      v1::GetHostResponse r;
      if (*revoke) {
        v1::RevokeHostRequest req;
        req.set_agent_id_or_hostname(revoke_key);
        auto rr = call<v1::RevokeHostRequest, v1::RevokeHostResponse>(ctx, &v1::AdminService::Stub::RevokeHost, req);
        print(ctx, host_json(rr.host()), "revoked " + rr.host().hostname() + " (" + rr.host().agent_id() + ")\n");
        return 0;
      }
      v1::GetHostRequest req;
      req.set_agent_id_or_hostname(host_key);
      r = call<v1::GetHostRequest, v1::GetHostResponse>(ctx, &v1::AdminService::Stub::GetHost, req);
      json j = host_json(r.host());
      j["os_id"] = r.info().os_id();
      j["os_version"] = r.info().os_version();
      j["kernel"] = r.info().kernel();
      j["machine_id"] = r.info().machine_id();
      j["agent_version"] = r.info().agent_version();
      j["cert_serial"] = r.cert_serial();
      j["facts"] = evidence_of(r.facts_json());
      j["findings"] = json::array();
      std::string text = r.host().hostname() + " (" + r.host().agent_id() + ")\n" +
                         "  department: " + r.host().department() + "\n" +
                         "  state:      " + (r.host().revoked() ? "revoked" : r.host().online() ? "online" : "offline") +
                         ", last seen " + (r.host().online() ? "now" : ctl::ago(r.host().last_seen_ms(), now)) + "\n" +
                         "  os:         " + r.info().os_name() + " (kernel " + r.info().kernel() + ")\n" +
                         "  address:    " + r.host().peer_address() + "\n\n";
      ctl::Table t({"CHECK", "STATUS", "SEVERITY", "SUMMARY"});
      for (const auto& f : r.findings()) {
        json fj = finding_json(f);
        fj.erase("agent_id");
        fj.erase("hostname");
        j["findings"].push_back(fj);
        t.add({f.finding().check(), status_name(f.finding().status()),
               severity_name(f.finding().severity()), f.finding().summary()});
      }
      text += t.empty() ? "no findings yet\n" : t.render();
      print(ctx, j, text);
    } else if (*findings) {
      v1::ListFindingsRequest req;
      req.set_check(check);
      if (!status_filter.empty()) req.set_status(to_proto(*parse_status(status_filter)));
      auto r = call<v1::ListFindingsRequest, v1::ListFindingsResponse>(ctx, &v1::AdminService::Stub::ListFindings, req);
      json j = json::array();
      ctl::Table t({"HOSTNAME", "CHECK", "STATUS", "SEVERITY", "SINCE", "SUMMARY"});
      for (const auto& f : r.findings()) {
        j.push_back(finding_json(f));
        t.add({f.hostname(), f.finding().check(), status_name(f.finding().status()),
               severity_name(f.finding().severity()), ctl::ago(f.since_ms(), now), f.finding().summary()});
      }
      print(ctx, j, t.empty() ? "no findings match\n" : t.render());
    } else if (*sweep_run || *sweep_show) {
      uint64_t id = sweep_id;
      auto deadline = std::chrono::steady_clock::now() + duration_arg(timeout, "--timeout");
      if (*sweep_run) {
        v1::RunSweepRequest req;
        req.set_requested_by(whoami());
        auto r = call<v1::RunSweepRequest, v1::RunSweepResponse>(ctx, &v1::AdminService::Stub::RunSweep, req);
        id = r.sweep_id();
        if (!wait) {
          print(ctx, {{"sweep_id", id}, {"expected", r.expected()}},
                "sweep " + std::to_string(id) + " sent to " + std::to_string(r.expected()) +
                    " connected agent(s); follow it with `wardenctl sweep show " + std::to_string(id) + "`\n");
          return 0;
        }
      }
      v1::GetSweepRequest req;
      req.set_sweep_id(id);
      v1::GetSweepResponse s;
      bool tty = isatty(STDERR_FILENO) && !ctx.as_json;
      while (true) {
        s = call<v1::GetSweepRequest, v1::GetSweepResponse>(ctx, &v1::AdminService::Stub::GetSweep, req);
        if (!*sweep_run || s.answered() >= s.expected() || std::chrono::steady_clock::now() >= deadline) break;
        if (tty)
          std::cerr << "\rsweep " << id << ": " << s.answered() << "/" << s.expected() << " answered" << std::flush;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      if (tty) std::cerr << "\r\033[K";
      json j = {{"sweep_id", id},
                {"expected", s.expected()},
                {"answered", s.answered()},
                {"missing", std::vector<std::string>(s.missing().begin(), s.missing().end())},
                {"requested_at", format_time_utc(s.requested_at_ms())},
                {"requested_by", s.requested_by()}};
      std::string text = "sweep " + std::to_string(id) + ": " + std::to_string(s.answered()) + " of " +
                         std::to_string(s.expected()) + " agents answered" +
                         (s.missing_size() ? "; missing: " + join(s.missing()) : "") + "\n";
      print(ctx, j, text);
      if (*sweep_run && s.answered() < s.expected()) return 3;  // timed out waiting
    }
  } catch (const std::exception& e) {
    std::cerr << "wardenctl: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
