// remediation set, list, close: the problem list's remediation items (整改措施): for a failing
// host/check, the measure, the person responsible, the deadline and the status.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

// The item's state in words: overdue, open or closed.
std::string item_state_text(const v1::RemediationItem& i) {
  if (i.overdue()) return tr("OVERDUE");
  return i.status() == "open" ? tr("open") : tr("closed");
}

json item_json(const v1::RemediationItem& i) {
  return {{"id", i.id()},
          {"agent_id", i.agent_id()},
          {"hostname", i.hostname()},
          {"department", i.department()},
          {"owner", i.owner()},
          {"check", i.check()},
          {"check_title", check_title(i.check())},
          {"result", i.result()},
          {"measure", i.measure()},
          {"person", i.person()},
          {"deadline", i.deadline_date()},
          {"due_at", format_time_utc(i.deadline_ms())},
          {"status", i.status()},
          {"overdue", i.overdue()},
          {"state_text", item_state_text(i)},
          {"note", i.note()},
          {"created_at", format_time_utc(i.created_at_ms())},
          {"created_by", i.created_by()},
          {"updated_at", format_time_utc(i.updated_at_ms())},
          {"closed_at", i.closed_at_ms() ? json(format_time_utc(i.closed_at_ms())) : json(nullptr)},
          {"closed_by", i.closed_by()}};
}

class RemediationSet : public Command {
 public:
  RemediationSet()
      : Command({"remediation", "set"},
                tr("Set the remediation measure, person responsible and deadline for a failing "
                   "check on a host")) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOST", host_, tr("Agent ID or hostname"))->required();
    app.add_option("CHECK", check_, tr("Check ID, e.g. av.running"))->required();
    app.add_option("--measure", measure_, tr("The remediation measure"))->required();
    app.add_option("--person", person_, tr("The person responsible"))->required();
    app.add_option("--deadline", deadline_,
                   tr("YYYY-MM-DD in the collector's time zone: due by the end of that day"))
        ->required();
    app.add_option("--note", note_, tr("A note kept with the item"));
    app.add_flag("--force", force_, tr("Also when the host's latest result for the check passes"));
  }
  Output run(Context& ctx) override {
    v1::SetRemediationRequest req;
    req.set_host(host_);
    req.set_check(check_);
    req.set_measure(measure_);
    req.set_person(person_);
    req.set_deadline_date(deadline_);
    req.set_note(note_);
    req.set_force(force_);
    auto r = call(ctx, &v1::AdminService::Stub::SetRemediation, req);
    return {item_json(r), trf("remediation of {1} on {2}: {3} ({4}), due {5}", r.check(),
                              r.hostname(), r.measure(), r.person(), r.deadline_date()) +
                              "\n"};
  }

 private:
  std::string host_, check_, measure_, person_, deadline_, note_;
  bool force_ = false;
};

class RemediationList : public Command {
 public:
  RemediationList()
      : Command({"remediation", "list"},
                tr("The problem list's remediation items, overdue ones first")) {}
  void add_options(CLI::App& app) override {
    app.add_flag("--overdue", overdue_, tr("Only open items past their deadline"));
    app.add_option("--department", department_, tr("Only this department and those below it"));
    app.add_flag("--all", all_, tr("Closed items too"));
  }
  Output run(Context& ctx) override {
    v1::ListRemediationRequest req;
    req.set_overdue(overdue_);
    req.set_department(department_);
    req.set_include_closed(all_);
    auto r = call(ctx, &v1::AdminService::Stub::ListRemediation, req);
    return list_output(
        r.items(),
        Table({tr("HOSTNAME"), tr("DEPARTMENT"), tr("CHECK"), tr("RESULT"), tr("MEASURE"),
               tr("PERSON"), tr("DEADLINE"), tr("STATE")}),
        item_json,
        [](const v1::RemediationItem& i) -> std::vector<std::string> {
          return {i.hostname(), i.department(), i.check(),         status_code_text(i.result()),
                  i.measure(),  i.person(),     i.deadline_date(), item_state_text(i)};
        },
        (overdue_ ? tr("no overdue remediation items") : tr("no remediation items")) + "\n");
  }

 private:
  bool overdue_ = false, all_ = false;
  std::string department_;
};

class RemediationClose : public Command {
 public:
  RemediationClose()
      : Command({"remediation", "close"}, tr("Close the open remediation item of a host's check")) {
  }
  void add_options(CLI::App& app) override {
    app.add_option("HOST", host_, tr("Agent ID or hostname"))->required();
    app.add_option("CHECK", check_, tr("Check ID, e.g. av.running"))->required();
    app.add_option("--note", note_, tr("A note kept with the item"));
  }
  Output run(Context& ctx) override {
    v1::CloseRemediationRequest req;
    req.set_host(host_);
    req.set_check(check_);
    req.set_note(note_);
    auto r = call(ctx, &v1::AdminService::Stub::CloseRemediation, req);
    return {item_json(r),
            trf("closed the remediation of {1} on {2}", r.check(), r.hostname()) + "\n"};
  }

 private:
  std::string host_, check_, note_;
};

}  // namespace

std::unique_ptr<Command> make_remediation_set() {
  return std::make_unique<RemediationSet>();
}
std::unique_ptr<Command> make_remediation_list() {
  return std::make_unique<RemediationList>();
}
std::unique_ptr<Command> make_remediation_close() {
  return std::make_unique<RemediationClose>();
}

}  // namespace warden::ctl
