// report: the periodic self-check report for the level above (docs/reports.md), rendered by
// report_render.cpp.
#include "collector/wardenctl/commands/commands.hpp"
#include "collector/wardenctl/report_render.hpp"

namespace warden::ctl {

namespace {

class Report : public Command {
 public:
  Report() : Command({"report"}, "The periodic self-check report for the level above", false) {}
  void add_options(CLI::App& app) override {
    app.add_option("--from", from_, "Start date (YYYY-MM-DD)")->required();
    app.add_option("--to", to_, "End date (YYYY-MM-DD, exclusive)")->required();
    app.add_option("--format", format_, "csv, json or html")
        ->check(CLI::IsMember({"csv", "json", "html"}))
        ->capture_default_str();
    app.add_option("--department", department_, "Only this department and those below it");
    app.add_option("-o,--output", out_, "File (default: standard output)");
  }
  Output run(Context& ctx) override {
    v1::GetReportRequest req;
    req.set_from_ms(date_arg(from_, "--from"));
    req.set_to_ms(date_arg(to_, "--to"));
    req.set_department(department_);
    auto r = call(ctx, &v1::AdminService::Stub::GetReport, req);
    return Output::document(format_ == "csv"    ? render_report_csv(r.report())
                            : format_ == "html" ? render_report_html(r.report())
                                                : render_report_json(r.report()),
                            out_);
  }

 private:
  std::string from_, to_, format_ = "json", department_, out_;
};

}  // namespace

std::unique_ptr<Command> make_report() {
  return std::make_unique<Report>();
}

}  // namespace warden::ctl
