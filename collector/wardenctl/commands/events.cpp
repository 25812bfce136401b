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

json incident_json(const v1::Incident& i) {
  return {
      {"id", i.id()},
      {"time", format_time_utc(i.at_ms())},
      {"agent_id", i.agent_id()},
      {"hostname", i.hostname()},
      {"ip", i.ip()},
      {"mac", i.mac()},
      {"owner", i.owner()},
      {"department", i.department()},
      {"unit", i.unit()},
      {"os", i.os()},
      {"check", i.check()},
      {"check_title", check_title(i.check())},
      {"summary", i.summary()},
      {"summary_text", summary_text(i.check(), i.summary_key(), i.evidence_json(), i.summary())},
      {"evidence", evidence_of(i.evidence_json())},
      {"status", i.status()},
      {"status_text", status_code_text(i.status())},
      {"location", i.location()},
      {"service", i.service()},
      {"impact", i.impact()},
      {"cause", i.cause()},
      {"handling", i.handling()},
      {"reporter", i.reporter()},
      {"reported_at",
       i.reported_at_ms() ? json(format_time_utc(i.reported_at_ms())) : json(nullptr)},
      {"updated_by", i.updated_by()}};
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
        Table({tr("ID"), tr("TIME"), tr("HOSTNAME"), tr("IP"), tr("MAC"), tr("OWNER"),
               tr("DEPARTMENT"), tr("OS"), tr("CHECK"), tr("TITLE"), tr("WHAT WAS SEEN"), tr("NOW"),
               tr("LOCATION"), tr("SERVICE"), tr("IMPACT"), tr("CAUSE"), tr("HANDLING"),
               tr("REPORTER"), tr("REPORTED")}),
        incident_json,
        [](const v1::Incident& i) -> std::vector<std::string> {
          return {std::to_string(i.id()),
                  local_time(i.at_ms()),
                  i.hostname(),
                  i.ip(),
                  i.mac(),
                  i.owner(),
                  i.department(),
                  i.os(),
                  i.check(),
                  check_title(i.check()),
                  summary_text(i.check(), i.summary_key(), i.evidence_json(), i.summary()),
                  status_code_text(i.status()),
                  i.location(),
                  i.service(),
                  i.impact(),
                  i.cause(),
                  i.handling(),
                  i.reporter(),
                  i.reported_at_ms() ? local_time(i.reported_at_ms()) : ""};
        },
        tr("no incidents") + "\n");
  }

 private:
  std::string since_ = "7d";
};

class IncidentSet : public Command {
 public:
  IncidentSet()
      : Command({"incidents", "set"},
                tr("Fill in what an incident report names that the agent cannot know")) {}
  void add_options(CLI::App& app) override {
    app.add_option("ID", id_, tr("The incident's ID (wardenctl incidents)"))->required();
    location_ = app.add_option("--location", text_[0], tr("Where: room, building"));
    service_ = app.add_option("--service", text_[1], tr("The application or service affected"));
    impact_ = app.add_option("--impact", text_[2], tr("The impact"));
    cause_ = app.add_option("--cause", text_[3], tr("The cause"));
    handling_ = app.add_option("--handling", text_[4], tr("How it was handled"));
    reporter_ = app.add_option("--reporter", text_[5], tr("Who reported it"));
    app.add_option("--reported-at", reported_at_,
                   tr("When it was reported: YYYY-MM-DD (local) or YYYY-MM-DDTHH:MM:SSZ; default: "
                      "now, when a reporter is first named"));
  }
  Output run(Context& ctx) override {
    v1::UpdateIncidentRequest req;
    req.set_id(id_);
    if (location_->count()) req.set_location(text_[0]);
    if (service_->count()) req.set_service(text_[1]);
    if (impact_->count()) req.set_impact(text_[2]);
    if (cause_->count()) req.set_cause(text_[3]);
    if (handling_->count()) req.set_handling(text_[4]);
    if (reporter_->count()) req.set_reporter(text_[5]);
    if (!reported_at_.empty()) req.set_reported_at_ms(date_arg(reported_at_, "--reported-at"));
    auto r = call(ctx, &v1::AdminService::Stub::UpdateIncident, req);
    return {incident_json(r), trf("incident {1} ({2} on {3}) updated", std::to_string(r.id()),
                                  r.check(), r.hostname()) +
                                  "\n"};
  }

 private:
  int64_t id_ = 0;
  std::string text_[6], reported_at_;
  CLI::Option *location_ = nullptr, *service_ = nullptr, *impact_ = nullptr, *cause_ = nullptr,
              *handling_ = nullptr, *reporter_ = nullptr;
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
std::unique_ptr<Command> make_incidents_set() {
  return std::make_unique<IncidentSet>();
}
std::unique_ptr<Command> make_audit() {
  return std::make_unique<Audit>();
}

}  // namespace warden::ctl
