// status, hosts, host (and --history), revoke, assign: the fleet and its hosts.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

class Status : public Command {
 public:
  Status() : Command({"status"}, "Fleet summary: hosts online/offline, results per check") {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::GetStatus);
    auto checks = list_output(
        r.checks(), Table({"CHECK", "PASS", "FAIL", "ERROR", "N/A"}),
        [](const v1::CheckCount& c) -> json {
          return {{"check", c.check()},
                  {"pass", c.pass()},
                  {"fail", c.fail()},
                  {"error", c.error()},
                  {"not_applicable", c.not_applicable()}};
        },
        [](const v1::CheckCount& c) -> std::vector<std::string> {
          return {c.check(), std::to_string(c.pass()), std::to_string(c.fail()),
                  std::to_string(c.error()), std::to_string(c.not_applicable())};
        },
        "no results yet: run `wardenctl sweep run --wait`\n");
    auto departments = list_output(
        r.departments(), Table({"DEPARTMENT", "HOSTS", "ONLINE", "FAILING"}),
        [](const v1::DepartmentStatus& d) -> json {
          return {{"department", d.department()},
                  {"hosts", d.hosts()},
                  {"online", d.online()},
                  {"failing", d.failing()}};
        },
        [](const v1::DepartmentStatus& d) -> std::vector<std::string> {
          return {d.department(), std::to_string(d.hosts()), std::to_string(d.online()),
                  std::to_string(d.failing())};
        },
        "");
    json j = {{"hosts",
               {{"total", r.hosts_total()},
                {"online", r.hosts_online()},
                {"offline", r.hosts_offline()},
                {"revoked", r.hosts_revoked()},
                {"failing", r.hosts_failing()}}},
              {"checks", checks.data},
              {"departments", departments.data}};
    std::string text =
        "hosts: " + std::to_string(r.hosts_total()) + " total, " +
        std::to_string(r.hosts_online()) + " online, " + std::to_string(r.hosts_offline()) +
        " offline, " + std::to_string(r.hosts_failing()) + " failing at least one check" +
        (r.hosts_revoked() ? ", " + std::to_string(r.hosts_revoked()) + " revoked" : "") + "\n\n" +
        (departments.text.empty() ? "" : departments.text + "\n") + checks.text;
    return {j, text};
  }
};

class Hosts : public Command {
 public:
  Hosts() : Command({"hosts"}, "List hosts") {}
  void add_options(CLI::App& app) override {
    app.add_option("--failing", failing_, "Only hosts failing this check");
    app.add_option("--department", department_, "Only this department and those below it");
    app.add_option("--offline", offline_, "Only hosts silent at least this long (e.g. 7d)");
    app.add_option("--classification", classification_, "general or classified")
        ->check(CLI::IsMember({"general", "classified"}));
  }
  Output run(Context& ctx) override {
    v1::ListHostsRequest req;
    req.set_failing_check(failing_);
    req.set_department(department_);
    if (!offline_.empty()) req.set_offline_for_seconds(duration_arg(offline_, "--offline").count());
    req.set_classification(classification_);
    auto r = call(ctx, &v1::AdminService::Stub::ListHosts, req);
    int64_t now = now_ms();
    return list_output(
        r.hosts(),
        Table({"HOSTNAME", "AGENT ID", "DEPARTMENT", "OWNER", "STATE", "LAST SEEN", "FAILING"}),
        host_json,
        [&](const v1::HostSummary& h) -> std::vector<std::string> {
          return {h.hostname(),  h.agent_id(),           h.department(),   h.owner(),
                  host_state(h), host_last_seen(h, now), join(h.failing())};
        },
        "no hosts\n");
  }

 private:
  std::string failing_, department_, offline_, classification_;
};

class Host : public Command {
 public:
  Host() : Command({"host"}, "One host and its latest findings") {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, "Agent ID or hostname")->required();
    app.add_flag("--history", history_, "Every status change with its time");
  }
  Output run(Context& ctx) override {
    v1::GetHostRequest req;
    req.set_agent_id_or_hostname(key_);
    return history_ ? history(call(ctx, &v1::AdminService::Stub::GetHostHistory, req))
                    : latest(call(ctx, &v1::AdminService::Stub::GetHost, req));
  }

 private:
  static Output history(const v1::HostHistoryResponse& r) {
    auto changes = list_output(
        r.history(), Table({"TIME", "CHECK", "FROM", "TO", "SUMMARY"}),
        [](const v1::HistoryEntry& e) -> json {
          return {{"check", e.check()},       {"from", e.from_status()},
                  {"to", e.to_status()},      {"at", format_time_utc(e.at_ms())},
                  {"sweep_id", e.sweep_id()}, {"summary", e.summary()}};
        },
        [](const v1::HistoryEntry& e) -> std::vector<std::string> {
          return {format_time_utc(e.at_ms()), e.check(),
                  e.from_status().empty() ? "-" : e.from_status(), e.to_status(), e.summary()};
        },
        "no history\n");
    json j = host_json(r.host());
    j["history"] = changes.data;
    return {j, r.host().hostname() + " (" + r.host().agent_id() + ")\n\n" + changes.text};
  }

  static Output latest(const v1::GetHostResponse& r) {
    const auto& h = r.host();
    auto findings = list_output(
        r.findings(), Table({"CHECK", "STATUS", "SEVERITY", "SUMMARY"}),
        [](const v1::StoredFinding& f) {
          json fj = finding_json(f);
          fj.erase("agent_id");
          fj.erase("hostname");
          return fj;
        },
        [](const v1::StoredFinding& f) -> std::vector<std::string> {
          return {f.finding().check(), status_name(f.finding().status()),
                  severity_name(f.finding().severity()), f.finding().summary()};
        },
        "no findings yet\n");
    json j = host_json(h);
    j["os_id"] = r.info().os_id();
    j["os_version"] = r.info().os_version();
    j["kernel"] = r.info().kernel();
    j["machine_id"] = r.info().machine_id();
    j["agent_version"] = r.info().agent_version();
    j["cert_serial"] = r.cert_serial();
    j["facts"] = evidence_of(r.facts_json());
    j["findings"] = findings.data;
    std::string text =
        h.hostname() + " (" + h.agent_id() + ")\n" + "  department: " + h.department() + "\n" +
        "  owner:      " + (h.owner().empty() ? "-" : h.owner()) + " (" + h.classification() +
        ")\n" + "  state:      " + host_state(h) + ", last seen " + host_last_seen(h, now_ms()) +
        "\n" + "  os:         " + r.info().os_name() + " (kernel " + r.info().kernel() + ")\n" +
        "  address:    " + h.peer_address() + "\n\n" + findings.text;
    return {j, text};
  }

  std::string key_;
  bool history_ = false;
};

class Revoke : public Command {
 public:
  Revoke() : Command({"revoke"}, "Revoke a host's certificate (disconnects it at once)") {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, "Agent ID or hostname")->required();
  }
  Output run(Context& ctx) override {
    v1::RevokeHostRequest req;
    req.set_agent_id_or_hostname(key_);
    auto r = call(ctx, &v1::AdminService::Stub::RevokeHost, req);
    return {host_json(r.host()),
            "revoked " + r.host().hostname() + " (" + r.host().agent_id() + ")\n"};
  }

 private:
  std::string key_;
};

class Assign : public Command {
 public:
  Assign() : Command({"assign"}, "Move a host to a department, set its owner or classification") {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, "Agent ID or hostname")->required();
    department_ = app.add_option("--department", req_department_, "Department (A/B/C)");
    owner_ = app.add_option("--owner", req_owner_, "Person responsible for the PC");
    classification_ =
        app.add_option("--classification", req_classification_, "general or classified");
  }
  Output run(Context& ctx) override {
    v1::SetHostRequest req;
    req.set_agent_id_or_hostname(key_);
    if (*department_) req.set_department(req_department_);
    if (*owner_) req.set_owner(req_owner_);
    if (*classification_) req.set_classification(req_classification_);
    req.set_actor(whoami());
    auto h = call(ctx, &v1::AdminService::Stub::SetHost, req);
    return {host_json(h), h.hostname() + ": department " + h.department() + ", owner " +
                              (h.owner().empty() ? "-" : h.owner()) + ", " + h.classification() +
                              "\n"};
  }

 private:
  std::string key_, req_department_, req_owner_, req_classification_;
  CLI::Option *department_ = nullptr, *owner_ = nullptr, *classification_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_status() {
  return std::make_unique<Status>();
}
std::unique_ptr<Command> make_hosts() {
  return std::make_unique<Hosts>();
}
std::unique_ptr<Command> make_host() {
  return std::make_unique<Host>();
}
std::unique_ptr<Command> make_revoke() {
  return std::make_unique<Revoke>();
}
std::unique_ptr<Command> make_assign() {
  return std::make_unique<Assign>();
}

}  // namespace warden::ctl
