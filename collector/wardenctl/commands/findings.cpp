// findings: the latest findings across the fleet.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"
#include "common/finding.hpp"
#include "common/finding_proto.hpp"

namespace warden::ctl {

namespace {

class Findings : public Command {
 public:
  Findings() : Command({"findings"}, tr("Latest findings across the fleet")) {}
  void add_options(CLI::App& app) override {
    app.add_option("--check", check_, tr("Only this check ID"));
    app.add_option("--status", status_, tr("Only this status: pass, fail, error or not_applicable"))
        ->check(CLI::IsMember({"pass", "fail", "error", "not_applicable"}));
  }
  Output run(Context& ctx) override {
    v1::ListFindingsRequest req;
    req.set_check(check_);
    if (!status_.empty()) req.set_status(to_proto(*parse_status(status_)));
    auto r = call(ctx, &v1::AdminService::Stub::ListFindings, req);
    int64_t now = now_ms();
    return list_output(
        r.findings(),
        Table({tr("HOSTNAME"), tr("CHECK"), tr("TITLE"), tr("STATUS"), tr("SEVERITY"), tr("SINCE"),
               tr("SUMMARY")}),
        finding_json,
        [&](const v1::StoredFinding& f) -> std::vector<std::string> {
          return {f.hostname(),
                  f.finding().check(),
                  check_title(f.finding().check()),
                  status_text(f.finding().status()),
                  severity_text(f.finding().severity()),
                  ago(f.since_ms(), now),
                  summary_text(f.finding())};
        },
        tr("no findings match") + "\n");
  }

 private:
  std::string check_, status_;
};

}  // namespace

std::unique_ptr<Command> make_findings() {
  return std::make_unique<Findings>();
}

}  // namespace warden::ctl
