// events, incidents, audit: what agents reported, critical findings, and what admins did.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"
#include "common/text.hpp"

namespace warden::ctl {

namespace {

void add_since(CLI::App& app, std::string& since, const char* help) {
  app.add_option("--since", since, help)->capture_default_str();
}

int64_t since_ms(const std::string& since) {
  return now_ms() - duration_arg(since, "--since").count() * 1000;
}

class Events : public Command {
 public:
  Events() : Command({"events"}, "Events reported by agents (USB, network changes, rejections)") {}
  void add_options(CLI::App& app) override {
    add_since(app, since_, "How far back, e.g. 24h, 7d");
    app.add_option("--kind", kind_, "Only this kind (or prefix, e.g. usb)");
    app.add_option("--host", host_, "Only this host");
    app.add_option("--limit", limit_, "At most this many");
  }
  Output run(Context& ctx) override {
    v1::ListEventsRequest req;
    req.set_since_ms(since_ms(since_));
    req.set_kind(kind_);
    req.set_host(host_);
    req.set_limit(limit_);
    auto r = call(ctx, &v1::AdminService::Stub::ListEvents, req);
    return list_output(
        r.events(), Table({"RECEIVED", "HOSTNAME", "KIND", "DATA"}),
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
          return {format_time_utc(e.received_at_ms()), e.hostname(), e.kind(), data};
        },
        "no events\n");
  }

 private:
  std::string since_ = "7d", kind_, host_;
  uint32_t limit_ = 0;
};

class Incidents : public Command {
 public:
  Incidents()
      : Command({"incidents"},
                "Critical findings with time, host, IP, MAC, owner, department, OS") {}
  void add_options(CLI::App& app) override { add_since(app, since_, "How far back"); }
  Output run(Context& ctx) override {
    v1::ListIncidentsRequest req;
    req.set_since_ms(since_ms(since_));
    auto r = call(ctx, &v1::AdminService::Stub::ListIncidents, req);
    return list_output(
        r.incidents(),
        Table({"TIME", "HOSTNAME", "IP", "MAC", "OWNER", "DEPARTMENT", "OS", "CHECK",
               "WHAT WAS SEEN", "NOW"}),
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
                  {"summary", i.summary()},
                  {"evidence", evidence_of(i.evidence_json())},
                  {"status", i.status()}};
        },
        [](const v1::Incident& i) -> std::vector<std::string> {
          return {format_time_utc(i.at_ms()),
                  i.hostname(),
                  i.ip(),
                  i.mac(),
                  i.owner(),
                  i.department(),
                  i.os(),
                  i.check(),
                  i.summary(),
                  i.status()};
        },
        "no incidents\n");
  }

 private:
  std::string since_ = "7d";
};

class Audit : public Command {
 public:
  Audit() : Command({"audit"}, "The admin audit log: who did what, when") {}
  void add_options(CLI::App& app) override { add_since(app, since_, "How far back"); }
  Output run(Context& ctx) override {
    v1::ListAuditRequest req;
    req.set_since_ms(since_ms(since_));
    auto r = call(ctx, &v1::AdminService::Stub::ListAudit, req);
    return list_output(
        r.entries(), Table({"TIME", "WHO", "ACTION", "DETAILS"}),
        [](const v1::AuditEntry& e) -> json {
          return {{"at", format_time_utc(e.at_ms())},
                  {"actor", e.actor()},
                  {"action", e.action()},
                  {"details", evidence_of(e.details_json())}};
        },
        [](const v1::AuditEntry& e) -> std::vector<std::string> {
          return {format_time_utc(e.at_ms()), e.actor(), e.action(), e.details_json()};
        },
        "no admin actions recorded\n");
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
