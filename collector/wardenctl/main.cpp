// wardenctl: the admin command line for a Warden collector, over its admin socket.
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <thread>

#include "collector/wardenctl/admin_client.hpp"
#include "collector/wardenctl/engine_commands.hpp"
#include "collector/wardenctl/output.hpp"
#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"
#include "common/version.hpp"
#include "warden/v1/admin.grpc.pb.h"

using namespace warden;
using namespace warden::ctl;
using nlohmann::json;

int main(int argc, char** argv) {
  Context ctx;
  CLI::App app{"wardenctl: query and steer a Warden collector"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.add_option("-s,--socket", ctx.socket, "Collector admin socket")->capture_default_str();
  app.add_flag("--json", ctx.as_json, "Machine-readable JSON output");
  auto json_flag = [&](CLI::App* sub) {
    sub->add_flag("--json", ctx.as_json, "Machine-readable JSON output");
  };

  // token
  auto* token = app.add_subcommand("token", "Enrollment tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create a token agents enroll with");
  std::string department, ttl = "7d";
  uint32_t uses = 1;
  token_create->add_option("--department", department, "Department the enrolled hosts join")
      ->required();
  token_create->add_option("--ttl", ttl, "How long the token is valid (e.g. 12h, 7d)")
      ->capture_default_str();
  token_create->add_option("--uses", uses, "How many hosts may enroll with it")
      ->capture_default_str();
  json_flag(token_create);
  auto* token_list = token->add_subcommand("list", "List tokens (never their secrets)");
  json_flag(token_list);
  auto* token_revoke = token->add_subcommand("revoke", "Revoke a token by its ID");
  std::string token_id;
  token_revoke->add_option("ID", token_id, "Token ID (the part before the dot)")->required();
  json_flag(token_revoke);

  auto* status =
      app.add_subcommand("status", "Fleet summary: hosts online/offline, results per check");
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

  auto* revoke =
      app.add_subcommand("revoke", "Revoke a host's certificate (disconnects it at once)");
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

  // host --history, hosts --offline/--classification, sweep --department/list
  bool history = false;
  host->add_flag("--history", history, "Every status change with its time");
  std::string offline, classification;
  hosts->add_option("--offline", offline, "Only hosts silent at least this long (e.g. 7d)");
  hosts->add_option("--classification", classification, "general or classified")
      ->check(CLI::IsMember({"general", "classified"}));
  std::string sweep_department;
  sweep_run->add_option("--department", sweep_department,
                        "Only this department and those below it");
  auto* sweep_list = sweep->add_subcommand("list", "Recent sweeps");
  json_flag(sweep_list);
  auto run_engine = add_engine_commands(app, ctx);

  CLI11_PARSE(app, argc, argv);

  try {
    if (auto rc = run_engine()) return *rc;
    int64_t now = now_ms();
    if (*token_create) {
      v1::CreateTokenRequest req;
      req.set_department(department);
      req.set_ttl_seconds(duration_arg(ttl, "--ttl").count());
      req.set_max_uses(uses);
      req.set_created_by(whoami());
      auto r = call<v1::CreateTokenRequest, v1::CreateTokenResponse>(
          ctx, &v1::AdminService::Stub::CreateToken, req);
      json j = token_json(r.info());
      j["token"] = r.token();
      print(ctx, j,
            r.token() + "\n(token " + r.info().id() + " for " + r.info().department() + ", " +
                std::to_string(r.info().max_uses()) + " use(s), expires " +
                format_time_utc(r.info().expires_at_ms()) + "; it is shown only now)\n");
    } else if (*token_list) {
      auto r = call<v1::ListTokensRequest, v1::ListTokensResponse>(
          ctx, &v1::AdminService::Stub::ListTokens, {});
      json j = json::array();
      ctl::Table t({"ID", "DEPARTMENT", "USES", "EXPIRES", "STATE"});
      for (const auto& tk : r.tokens()) {
        j.push_back(token_json(tk));
        std::string state = tk.revoked()                 ? "revoked"
                            : tk.expires_at_ms() <= now  ? "expired"
                            : tk.uses() >= tk.max_uses() ? "used up"
                                                         : "active";
        t.add({tk.id(), tk.department(),
               std::to_string(tk.uses()) + "/" + std::to_string(tk.max_uses()),
               format_time_utc(tk.expires_at_ms()), state});
      }
      print(ctx, j, t.empty() ? "no tokens\n" : t.render());
    } else if (*token_revoke) {
      v1::RevokeTokenRequest req;
      req.set_id(token_id);
      auto r = call<v1::RevokeTokenRequest, v1::RevokeTokenResponse>(
          ctx, &v1::AdminService::Stub::RevokeToken, req);
      print(ctx, token_json(r.info()), "revoked token " + r.info().id() + "\n");
    } else if (*status) {
      auto r = call<v1::GetStatusRequest, v1::GetStatusResponse>(
          ctx, &v1::AdminService::Stub::GetStatus, {});
      json checks = json::array();
      ctl::Table t({"CHECK", "PASS", "FAIL", "ERROR", "N/A"});
      for (const auto& c : r.checks()) {
        checks.push_back({{"check", c.check()},
                          {"pass", c.pass()},
                          {"fail", c.fail()},
                          {"error", c.error()},
                          {"not_applicable", c.not_applicable()}});
        t.add({c.check(), std::to_string(c.pass()), std::to_string(c.fail()),
               std::to_string(c.error()), std::to_string(c.not_applicable())});
      }
      json j = {{"hosts",
                 {{"total", r.hosts_total()},
                  {"online", r.hosts_online()},
                  {"offline", r.hosts_offline()},
                  {"revoked", r.hosts_revoked()},
                  {"failing", r.hosts_failing()}}},
                {"checks", checks},
                {"departments", json::array()}};
      ctl::Table dt({"DEPARTMENT", "HOSTS", "ONLINE", "FAILING"});
      for (const auto& d : r.departments()) {
        j["departments"].push_back({{"department", d.department()},
                                    {"hosts", d.hosts()},
                                    {"online", d.online()},
                                    {"failing", d.failing()}});
        dt.add({d.department(), std::to_string(d.hosts()), std::to_string(d.online()),
                std::to_string(d.failing())});
      }
      std::string text =
          "hosts: " + std::to_string(r.hosts_total()) + " total, " +
          std::to_string(r.hosts_online()) + " online, " + std::to_string(r.hosts_offline()) +
          " offline, " + std::to_string(r.hosts_failing()) + " failing at least one check" +
          (r.hosts_revoked() ? ", " + std::to_string(r.hosts_revoked()) + " revoked" : "") +
          "\n\n" + (dt.empty() ? "" : dt.render() + "\n") +
          (t.empty() ? "no results yet: run `wardenctl sweep run --wait`\n" : t.render());
      print(ctx, j, text);
    } else if (*hosts) {
      v1::ListHostsRequest req;
      req.set_failing_check(failing);
      req.set_department(hosts_department);
      if (!offline.empty()) req.set_offline_for_seconds(duration_arg(offline, "--offline").count());
      req.set_classification(classification);
      auto r = call<v1::ListHostsRequest, v1::ListHostsResponse>(
          ctx, &v1::AdminService::Stub::ListHosts, req);
      json j = json::array();
      ctl::Table t(
          {"HOSTNAME", "AGENT ID", "DEPARTMENT", "OWNER", "STATE", "LAST SEEN", "FAILING"});
      for (const auto& h : r.hosts()) {
        j.push_back(host_json(h));
        t.add({h.hostname(), h.agent_id(), h.department(), h.owner(),
               h.revoked()  ? "revoked"
               : h.online() ? "online"
                            : "offline",
               h.online() ? "now" : ctl::ago(h.last_seen_ms(), now), join(h.failing())});
      }
      print(ctx, j, t.empty() ? "no hosts\n" : t.render());
    } else if (*host || *revoke) {
      v1::GetHostResponse r;
      if (*revoke) {
        v1::RevokeHostRequest req;
        req.set_agent_id_or_hostname(revoke_key);
        auto rr = call<v1::RevokeHostRequest, v1::RevokeHostResponse>(
            ctx, &v1::AdminService::Stub::RevokeHost, req);
        print(ctx, host_json(rr.host()),
              "revoked " + rr.host().hostname() + " (" + rr.host().agent_id() + ")\n");
        return 0;
      }
      v1::GetHostRequest req;
      req.set_agent_id_or_hostname(host_key);
      if (history) {
        auto hr = call<v1::GetHostRequest, v1::HostHistoryResponse>(
            ctx, &v1::AdminService::Stub::GetHostHistory, req);
        json j = host_json(hr.host());
        j["history"] = json::array();
        ctl::Table t({"TIME", "CHECK", "FROM", "TO", "SUMMARY"});
        for (const auto& e : hr.history()) {
          j["history"].push_back({{"check", e.check()},
                                  {"from", e.from_status()},
                                  {"to", e.to_status()},
                                  {"at", format_time_utc(e.at_ms())},
                                  {"sweep_id", e.sweep_id()},
                                  {"summary", e.summary()}});
          t.add({format_time_utc(e.at_ms()), e.check(),
                 e.from_status().empty() ? "-" : e.from_status(), e.to_status(), e.summary()});
        }
        print(ctx, j,
              hr.host().hostname() + " (" + hr.host().agent_id() + ")\n\n" +
                  (t.empty() ? "no history\n" : t.render()));
        return 0;
      }
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
      std::string text =
          r.host().hostname() + " (" + r.host().agent_id() + ")\n" +
          "  department: " + r.host().department() + "\n" +
          "  owner:      " + (r.host().owner().empty() ? "-" : r.host().owner()) + " (" +
          r.host().classification() + ")\n" + "  state:      " +
          (r.host().revoked()  ? "revoked"
           : r.host().online() ? "online"
                               : "offline") +
          ", last seen " + (r.host().online() ? "now" : ctl::ago(r.host().last_seen_ms(), now)) +
          "\n" + "  os:         " + r.info().os_name() + " (kernel " + r.info().kernel() + ")\n" +
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
      auto r = call<v1::ListFindingsRequest, v1::ListFindingsResponse>(
          ctx, &v1::AdminService::Stub::ListFindings, req);
      json j = json::array();
      ctl::Table t({"HOSTNAME", "CHECK", "STATUS", "SEVERITY", "SINCE", "SUMMARY"});
      for (const auto& f : r.findings()) {
        j.push_back(finding_json(f));
        t.add({f.hostname(), f.finding().check(), status_name(f.finding().status()),
               severity_name(f.finding().severity()), ctl::ago(f.since_ms(), now),
               f.finding().summary()});
      }
      print(ctx, j, t.empty() ? "no findings match\n" : t.render());
    } else if (*sweep_list) {
      auto r = call<v1::ListSweepsRequest, v1::ListSweepsResponse>(
          ctx, &v1::AdminService::Stub::ListSweeps, {});
      json j = json::array();
      ctl::Table t({"ID", "REQUESTED", "BY", "KIND", "DEPARTMENT", "ANSWERED", "OFFLINE"});
      for (const auto& s : r.sweeps()) {
        j.push_back({{"sweep_id", s.sweep_id()},
                     {"requested_at", format_time_utc(s.requested_at_ms())},
                     {"requested_by", s.requested_by()},
                     {"kind", s.kind()},
                     {"department", s.department()},
                     {"expected", s.expected()},
                     {"answered", s.answered()},
                     {"deferred", s.deferred()}});
        t.add({std::to_string(s.sweep_id()), format_time_utc(s.requested_at_ms()), s.requested_by(),
               s.kind(), s.department().empty() ? "(all)" : s.department(),
               std::to_string(s.answered()) + "/" + std::to_string(s.expected()),
               std::to_string(s.deferred())});
      }
      print(ctx, j, t.empty() ? "no sweeps yet\n" : t.render());
    } else if (*sweep_run || *sweep_show) {
      uint64_t id = sweep_id;
      auto deadline = std::chrono::steady_clock::now() + duration_arg(timeout, "--timeout");
      if (*sweep_run) {
        v1::RunSweepRequest req;
        req.set_requested_by(whoami());
        req.set_department(sweep_department);
        auto r = call<v1::RunSweepRequest, v1::RunSweepResponse>(
            ctx, &v1::AdminService::Stub::RunSweep, req);
        id = r.sweep_id();
        if (!wait) {
          print(ctx, {{"sweep_id", id}, {"expected", r.expected()}},
                "sweep " + std::to_string(id) + " sent to " + std::to_string(r.expected()) +
                    " connected agent(s); follow it with `wardenctl sweep show " +
                    std::to_string(id) + "`\n");
          return 0;
        }
      }
      v1::GetSweepRequest req;
      req.set_sweep_id(id);
      v1::GetSweepResponse s;
      bool tty = isatty(STDERR_FILENO) && !ctx.as_json;
      while (true) {
        s = call<v1::GetSweepRequest, v1::GetSweepResponse>(ctx, &v1::AdminService::Stub::GetSweep,
                                                            req);
        if (!*sweep_run || s.answered() >= s.expected() ||
            std::chrono::steady_clock::now() >= deadline)
          break;
        if (tty) {
          int width = 30,
              done = s.expected() ? static_cast<int>(width * s.answered() / s.expected()) : width;
          std::cerr << "\rsweep " << id << " [" << std::string(static_cast<size_t>(done), '#')
                    << std::string(static_cast<size_t>(width - done), '.') << "] " << s.answered()
                    << "/" << s.expected() << " answered" << std::flush;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      if (tty) std::cerr << "\r\033[K";
      json j = {{"sweep_id", id},
                {"expected", s.expected()},
                {"answered", s.answered()},
                {"missing", std::vector<std::string>(s.missing().begin(), s.missing().end())},
                {"requested_at", format_time_utc(s.requested_at_ms())},
                {"requested_by", s.requested_by()},
                {"deferred", s.deferred()},
                {"deferred_answered", s.deferred_answered()},
                {"department", s.department()},
                {"kind", s.kind()},
                {"failures", json::array()}};
      for (const auto& f : s.failures()) j["failures"].push_back(finding_json(f));
      std::string text =
          "sweep " + std::to_string(id) + ": " + std::to_string(s.answered()) + " of " +
          std::to_string(s.expected()) + " agents answered" +
          (s.missing_size() ? "; missing: " + join(s.missing()) : "") +
          (s.deferred() ? "; " + std::to_string(s.deferred_answered()) + " of " +
                              std::to_string(s.deferred()) + " offline hosts caught up since"
                        : "") +
          "\n";
      for (const auto& f : s.failures())
        text +=
            "  " + f.hostname() + "  " + f.finding().check() + "  " + f.finding().summary() + "\n";
      print(ctx, j, text);
      if (*sweep_run && s.answered() < s.expected()) return 3;  // timed out waiting
    }
  } catch (const Failure& f) {
    std::cerr << "wardenctl: " << f.what() << "\n";
    return exit_code(f.error().kind);
  } catch (const std::exception& e) {
    std::cerr << "wardenctl: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
