// status, hosts, host (and --history), revoke, assign: the fleet and its hosts.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

class Status : public Command {
 public:
  Status() : Command({"status"}, tr("Fleet summary: hosts online/offline, results per check")) {}
  void add_options(CLI::App& app) override {
    app.add_option("--unit", unit_, tr("A unit below (name or path): what it forwarded"));
  }
  Output run(Context& ctx) override {
    v1::GetStatusRequest req;
    req.set_unit(unit_);
    auto r = call(ctx, &v1::AdminService::Stub::GetStatus, req);
    auto checks = list_output(
        r.checks(),
        Table({tr("CHECK"), tr("TITLE"), tr("PASS"), tr("FAIL"), tr("ERROR"), tr("N/A")}),
        [](const v1::CheckCount& c) -> json {
          return {{"check", c.check()}, {"check_title", check_title(c.check())},
                  {"pass", c.pass()},   {"fail", c.fail()},
                  {"error", c.error()}, {"not_applicable", c.not_applicable()}};
        },
        [](const v1::CheckCount& c) -> std::vector<std::string> {
          return {c.check(),
                  check_title(c.check()),
                  std::to_string(c.pass()),
                  std::to_string(c.fail()),
                  std::to_string(c.error()),
                  std::to_string(c.not_applicable())};
        },
        tr("no results yet: run `wardenctl sweep run --wait`") + "\n");
    auto departments = list_output(
        r.departments(), Table({tr("DEPARTMENT"), tr("HOSTS"), tr("ONLINE"), tr("FAILING")}),
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
    auto collectors = list_output(
        r.collectors(),
        Table({tr("COLLECTOR"), tr("ADDRESS"), tr("AGENTS"), tr("LEADER"), tr("LAST HEARTBEAT")}),
        [](const v1::CollectorMember& c) -> json {
          return {{"id", c.id()},
                  {"address", c.address()},
                  {"agents", c.agents()},
                  {"leader", c.leader()},
                  {"answering", c.answering()},
                  {"heartbeat_at", format_time_utc(c.heartbeat_at_ms())}};
        },
        [](const v1::CollectorMember& c) -> std::vector<std::string> {
          return {c.id() + (c.answering() ? " *" : ""), c.address(), std::to_string(c.agents()),
                  c.leader() ? tr("yes") : "", local_time(c.heartbeat_at_ms())};
        },
        "");
    json j = {{"hosts",
               {{"total", r.hosts_total()},
                {"online", r.hosts_online()},
                {"offline", r.hosts_offline()},
                {"revoked", r.hosts_revoked()},
                {"failing", r.hosts_failing()}}},
              {"checks", checks.data},
              {"departments", departments.data},
              {"collectors", collectors.data}};
    std::string text =
        trf("hosts: {1} total, {2} online, {3} offline, {4} failing at least one check",
            r.hosts_total(), r.hosts_online(), r.hosts_offline(), r.hosts_failing()) +
        (r.hosts_revoked() ? trf(", {1} revoked", r.hosts_revoked()) : "") + "\n\n" +
        (departments.text.empty() ? "" : departments.text + "\n") +
        (collectors.text.empty()
             ? ""
             : trf("collectors sharing the database: {1} (* answered this call)",
                   r.collectors_size()) +
                   "\n" + collectors.text + "\n") +
        checks.text;
    if (!unit_.empty()) j["unit"] = unit_;
    return {j, text};
  }

 private:
  std::string unit_;
};

class Hosts : public Command {
 public:
  Hosts() : Command({"hosts"}, tr("List hosts")) {}
  void add_options(CLI::App& app) override {
    app.add_option("--failing", failing_, tr("Only hosts failing this check"));
    app.add_option("--department", department_, tr("Only this department and those below it"));
    app.add_option("--offline", offline_, tr("Only hosts silent at least this long (e.g. 7d)"));
    app.add_option("--classification", classification_, tr("general or classified"))
        ->check(CLI::IsMember({"general", "classified"}));
    app.add_option("--unit", unit_, tr("A unit below (name or path): the hosts it forwarded"));
  }
  Output run(Context& ctx) override {
    v1::ListHostsRequest req;
    req.set_failing_check(failing_);
    req.set_department(department_);
    if (!offline_.empty()) req.set_offline_for_seconds(duration_arg(offline_, "--offline").count());
    req.set_classification(classification_);
    req.set_unit(unit_);
    auto r = call(ctx, &v1::AdminService::Stub::ListHosts, req);
    int64_t now = now_ms();
    return list_output(
        r.hosts(),
        Table({tr("HOSTNAME"), tr("AGENT ID"), tr("DEPARTMENT"), tr("OWNER"), tr("STATE"),
               tr("LAST SEEN"), tr("FAILING")}),
        host_json,
        [&](const v1::HostSummary& h) -> std::vector<std::string> {
          return {h.hostname(),       h.agent_id(),           h.department(),   h.owner(),
                  host_state_text(h), host_last_seen(h, now), join(h.failing())};
        },
        tr("no hosts") + "\n");
  }

 private:
  std::string failing_, department_, offline_, classification_, unit_;
};

class Host : public Command {
 public:
  Host() : Command({"host"}, tr("One host and its latest findings")) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, tr("Agent ID or hostname"))->required();
    app.add_flag("--history", history_, tr("Every status change with its time"));
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
        r.history(), Table({tr("TIME"), tr("CHECK"), tr("FROM"), tr("TO"), tr("SUMMARY")}),
        [](const v1::HistoryEntry& e) -> json {
          return {{"check", e.check()},
                  {"check_title", check_title(e.check())},
                  {"from", e.from_status()},
                  {"from_text", status_code_text(e.from_status())},
                  {"to", e.to_status()},
                  {"to_text", status_code_text(e.to_status())},
                  {"at", format_time_utc(e.at_ms())},
                  {"sweep_id", e.sweep_id()},
                  {"summary", e.summary()},
                  {"summary_text",
                   summary_text(e.check(), e.summary_key(), e.evidence_json(), e.summary())}};
        },
        [](const v1::HistoryEntry& e) -> std::vector<std::string> {
          return {local_time(e.at_ms()), e.check(), status_code_text(e.from_status()),
                  status_code_text(e.to_status()),
                  summary_text(e.check(), e.summary_key(), e.evidence_json(), e.summary())};
        },
        tr("no history") + "\n");
    json j = host_json(r.host());
    j["history"] = changes.data;
    return {j, r.host().hostname() + " (" + r.host().agent_id() + ")\n\n" + changes.text};
  }

  static Output latest(const v1::GetHostResponse& r) {
    const auto& h = r.host();
    auto findings = list_output(
        r.findings(),
        Table({tr("CHECK"), tr("TITLE"), tr("STATUS"), tr("SEVERITY"), tr("SUMMARY")}),
        [](const v1::StoredFinding& f) {
          json fj = finding_json(f);
          fj.erase("agent_id");
          fj.erase("hostname");
          return fj;
        },
        [](const v1::StoredFinding& f) -> std::vector<std::string> {
          return {f.finding().check(), check_title(f.finding().check()),
                  status_text(f.finding().status()), severity_text(f.finding().severity()),
                  summary_text(f.finding())};
        },
        tr("no findings yet") + "\n");
    json j = host_json(h);
    j["os_id"] = r.info().os_id();
    j["os_version"] = r.info().os_version();
    j["kernel"] = r.info().kernel();
    j["machine_id"] = r.info().machine_id();
    j["agent_version"] = r.info().agent_version();
    j["cert_serial"] = r.cert_serial();
    j["facts"] = evidence_of(r.facts_json());
    j["findings"] = findings.data;
    Table facts({"", ""});  // label, value: aligned by display width
    facts.add({tr("department:"), h.department()});
    facts.add({tr("owner:"), trf("{1} ({2})", h.owner().empty() ? "-" : h.owner(),
                                 classification_text(h.classification()))});
    facts.add({tr("state:"), h.online() ? host_state_text(h)
                                        : trf("{1}, last seen {2}", host_state_text(h),
                                              host_last_seen(h, now_ms()))});
    facts.add({tr("os:"), trf("{1} (kernel {2})", r.info().os_name(), r.info().kernel())});
    facts.add({tr("agent version:"), r.info().agent_version()});
    facts.add({tr("address:"), h.peer_address()});
    std::string rows = facts.render();
    rows.erase(0, rows.find('\n') + 1);  // the empty header line
    std::string text = h.hostname() + " (" + h.agent_id() + ")\n";
    for (size_t at = 0; at < rows.size();) {
      size_t nl = rows.find('\n', at);
      text += "  " + rows.substr(at, nl - at + 1);
      at = nl + 1;
    }
    text += "\n" + findings.text;
    return {j, text};
  }

  std::string key_;
  bool history_ = false;
};

class Revoke : public Command {
 public:
  Revoke() : Command({"revoke"}, tr("Revoke a host's certificate (disconnects it at once)")) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, tr("Agent ID or hostname"))->required();
  }
  Output run(Context& ctx) override {
    v1::RevokeHostRequest req;
    req.set_agent_id_or_hostname(key_);
    auto r = call(ctx, &v1::AdminService::Stub::RevokeHost, req);
    return {host_json(r.host()),
            trf("revoked {1} ({2})", r.host().hostname(), r.host().agent_id()) + "\n"};
  }

 private:
  std::string key_;
};

class Assign : public Command {
 public:
  Assign()
      : Command({"assign"}, tr("Move a host to a department, set its owner or classification")) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", key_, tr("Agent ID or hostname"))->required();
    department_ = app.add_option("--department", req_department_, tr("Department (A/B/C)"));
    owner_ = app.add_option("--owner", req_owner_, tr("Person responsible for the PC"));
    classification_ =
        app.add_option("--classification", req_classification_, tr("general or classified"));
  }
  Output run(Context& ctx) override {
    v1::SetHostRequest req;
    req.set_agent_id_or_hostname(key_);
    if (*department_) req.set_department(req_department_);
    if (*owner_) req.set_owner(req_owner_);
    if (*classification_) req.set_classification(req_classification_);
    req.set_actor(whoami());
    auto h = call(ctx, &v1::AdminService::Stub::SetHost, req);
    return {host_json(h),
            trf("{1}: department {2}, owner {3}, {4}", h.hostname(), h.department(),
                h.owner().empty() ? "-" : h.owner(), classification_text(h.classification())) +
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
