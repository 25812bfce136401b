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

}  // namespace

std::unique_ptr<Command> make_units() {
  return std::make_unique<Units>();
}

}  // namespace warden::ctl
