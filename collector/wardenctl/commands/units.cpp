// units: the units below this collector (cascade, docs/cascade.md) and what each last forwarded.
#include <cstdio>

#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

std::string percent(double rate) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", rate * 100.0);
  return buf;
}

class Units : public Command {
 public:
  Units()
      : Command({"units"},
                tr("Units below this collector: PCs in their ledgers and reporting, compliance, "
                   "last contact")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListUnits);
    return list_output(
        r.units(),
        Table({tr("UNIT"), tr("LEDGER"), tr("HOSTS"), tr("REPORTING"), tr("ONLINE"), tr("FAILING"),
               tr("COMPLIANCE"), tr("LAST CONTACT"), tr("SWEEPS ASKED")}),
        [](const v1::UnitSummary& u) -> json {
          return {{"name", u.name()},
                  {"unit_id", u.unit_id()},
                  {"department", u.department()},
                  {"ledger_hosts", u.ledger_hosts()},
                  {"hosts", u.hosts()},
                  {"reporting", u.reporting()},
                  {"online", u.online()},
                  {"failing", u.failing()},
                  {"compliance_rate", u.compliance_rate()},
                  {"last_contact", u.last_contact_ms() ? json(format_time_utc(u.last_contact_ms()))
                                                       : json(nullptr)},
                  {"enrolled_at", format_time_utc(u.enrolled_at_ms())},
                  {"pending_sweeps", u.pending_sweeps()}};
        },
        [](const v1::UnitSummary& u) -> std::vector<std::string> {
          return {u.name(),
                  std::to_string(u.ledger_hosts()),
                  std::to_string(u.hosts()),
                  std::to_string(u.reporting()),
                  std::to_string(u.online()),
                  std::to_string(u.failing()),
                  percent(u.compliance_rate()),
                  u.last_contact_ms() ? local_time(u.last_contact_ms()) : tr("never"),
                  u.pending_sweeps() ? std::to_string(u.pending_sweeps()) : ""};
        },
        tr("no units: enrol one with `wardenctl token create --kind unit` here and "
           "`warden-collector upstream enroll` on its collector") +
            "\n");
  }
};

class UnitsRevoke : public Command {
 public:
  UnitsRevoke()
      : Command({"units", "revoke"},
                tr("End a unit's link: its certificate forwards no more and its name is free")) {}
  void add_options(CLI::App& app) override {
    app.add_option("NAME", name_, tr("The unit's name (a unit right below this collector)"))
        ->required();
  }
  Output run(Context& ctx) override {
    v1::RevokeUnitRequest req;
    req.set_name(name_);
    auto r = call(ctx, &v1::AdminService::Stub::RevokeUnit, req);
    return {{{"name", r.name()}, {"unit_id", r.unit_id()}, {"revoked", true}},
            trf("unit {1} ({2}) revoked: it can no longer forward; what it forwarded is dropped, "
                "its incidents are kept",
                r.name(), r.unit_id()) +
                "\n"};
  }

 private:
  std::string name_;
};

}  // namespace

std::unique_ptr<Command> make_units() {
  return std::make_unique<Units>();
}
std::unique_ptr<Command> make_units_revoke() {
  return std::make_unique<UnitsRevoke>();
}

}  // namespace warden::ctl
