// events, incidents, audit: what agents reported, critical findings, and what admins did.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"
#include "common/text.hpp"

namespace warden::ctl {

namespace {

void add_since(CLI::App& app, std::string& since, const std::string& help) {
  app.add_option("--since", since, help)->capture_default_str();
}

int64_t since_ms(const std::string& since) {
  return now_ms() - duration_arg(since, "--since").count() * 1000;
}

class Events : public Command {
 public:
  Events()
      : Command({"events"}, tr("Events reported by agents (USB, network changes, rejections)")) {}
  void add_options(CLI::App& app) override {
    add_since(app, since_, tr("How far back, e.g. 24h, 7d"));
    app.add_option("--kind", kind_, tr("Only this kind (or prefix, e.g. usb)"));
    app.add_option("--host", host_, tr("Only this host"));
    app.add_option("--limit", limit_, tr("At most this many"));
  }
  Output run(Context& ctx) override {
    v1::ListEventsRequest req;
    req.set_since_ms(since_ms(since_));
    req.set_kind(kind_);
    req.set_host(host_);
    req.set_limit(limit_);
    auto r = call(ctx, &v1::AdminService::Stub::ListEvents, req);
    return list_output(
        r.events(), Table({tr("RECEIVED"), tr("HOSTNAME"), tr("KIND"), tr("DATA")}),
        [](const v1::EventRecord& e) -> json {
          return {{"agent_id", e.agent_id()},
                  {"hostname", e.hostname()},
                  {"kind", e.kind()},
                  {"at", format_time_utc(e.at_ms())},
                  {"received_at", format_time_utc(e.received_at_ms())},
                  {"data", evidence_of(e.data_json())}};
        },
        [](const v1::EventRecord& e) -> std::vector<std::string> {
          std::string data = e.data_json();
          if (data.size() > 80) data = text::valid_utf8(data, 77) + "...";
          return {local_time(e.received_at_ms()), e.hostname(), e.kind(), data};
        },
        tr("no events") + "\n");
  }

 private:
  std::string since_ = "7d", kind_, host_;
  uint32_t limit_ = 0;
};

class Incidents : public Command {
 public:
  Incidents()
      : Command({"incidents"},
                tr("Critical findings with time, host, IP, MAC, owner, department, OS")) {}
  void add_options(CLI::App& app) override { add_since(app, since_, tr("How far back")); }
  Output run(Context& ctx) override {
    v1::ListIncidentsRequest req;
    req.set_since_ms(since_ms(since_));
    auto r = call(ctx, &v1::AdminService::Stub::ListIncidents, req);
    return list_output(
        r.incidents(),
        Table({tr("TIME"), tr("HOSTNAME"), tr("IP"), tr("MAC"), tr("OWNER"), tr("DEPARTMENT"),
               tr("OS"), tr("CHECK"), tr("TITLE"), tr("WHAT WAS SEEN"), tr("NOW")}),
        [](const v1::Incident& i) -> json {
          return {{"time", format_time_utc(i.at_ms())},
                  {"agent_id", i.agent_id()},
                  {"hostname", i.hostname()},
                  {"ip", i.ip()},
                  {"mac", i.mac()},
                  {"owner", i.owner()},
                  {"department", i.department()},
                  {"os", i.os()},
                  {"check", i.check()},
                  {"check_title", check_title(i.check())},
                  {"summary", i.summary()},
                  {"summary_text",
                   summary_text(i.check(), i.summary_key(), i.evidence_json(), i.summary())},
                  {"evidence", evidence_of(i.evidence_json())},
                  {"status", i.status()},
                  {"status_text", status_code_text(i.status())}};
        },
        [](const v1::Incident& i) -> std::vector<std::string> {
          return {local_time(i.at_ms()),
                  i.hostname(),
                  i.ip(),
                  i.mac(),
                  i.owner(),
                  i.department(),
                  i.os(),
                  i.check(),
                  check_title(i.check()),
                  summary_text(i.check(), i.summary_key(), i.evidence_json(), i.summary()),
                  status_code_text(i.status())};
        },
        tr("no incidents") + "\n");
  }

 private:
  std::string since_ = "7d";
};

class Audit : public Command {
 public:
  Audit() : Command({"audit"}, tr("The admin audit log: who did what, when")) {}
  void add_options(CLI::App& app) override { add_since(app, since_, tr("How far back")); }
  Output run(Context& ctx) override {
    v1::ListAuditRequest req;
    req.set_since_ms(since_ms(since_));
    auto r = call(ctx, &v1::AdminService::Stub::ListAudit, req);
    return list_output(
        r.entries(), Table({tr("TIME"), tr("WHO"), tr("ACTION"), tr("DETAILS")}),
        [](const v1::AuditEntry& e) -> json {
          return {{"at", format_time_utc(e.at_ms())},
                  {"actor", e.actor()},
                  {"action", e.action()},
                  {"details", evidence_of(e.details_json())}};
        },
        [](const v1::AuditEntry& e) -> std::vector<std::string> {
          return {local_time(e.at_ms()), e.actor(), e.action(), e.details_json()};
        },
        tr("no admin actions recorded") + "\n");
  }

 private:
  std::string since_ = "7d";
};

}  // namespace

std::unique_ptr<Command> make_events() {
  return std::make_unique<Events>();
}
std::unique_ptr<Command> make_incidents() {
  return std::make_unique<Incidents>();
}
std::unique_ptr<Command> make_audit() {
  return std::make_unique<Audit>();
}

}  // namespace warden::ctl
