// report: the periodic self-check report for the level above (docs/reports.md), rendered by
// report_render.cpp.
#include "collector/wardenctl/commands/commands.hpp"
#include "collector/wardenctl/report_render.hpp"

namespace warden::ctl {

namespace {

class Report : public Command {
 public:
  Report() : Command({"report"}, tr("The periodic self-check report for the level above"), false) {}
  void add_options(CLI::App& app) override {
    app.add_option("--from", from_,
                   tr("Start date (YYYY-MM-DD, from local midnight in the collector's time zone; "
                      "default: the first day of last month)"));
    app.add_option("--to", to_,
                   tr("End date (YYYY-MM-DD, exclusive; with --from alone: through today)"));
    app.add_option("--format", format_, tr("csv, json or html"))
        ->check(CLI::IsMember({"csv", "json", "html"}))
        ->capture_default_str();
    app.add_option("--department", department_, tr("Only this department and those below it"));
    app.add_option("--unit", unit_,
                   tr("A unit below (name or path): its report from what it last forwarded"));
    app.add_option("-o,--output", out_, tr("File (default: standard output)"));
    app.add_option("--narrative", narrative_,
                   tr("Text file of the report's narrative sections (work done, shortcomings, next "
                      "steps): a line \"# Title\" starts a section"));
  }
  Output run(Context& ctx) override {
    v1::GetReportRequest req;
    // A bare date is a local date the collector resolves in its own time zone (where the unit
    // is); a full time ("...T08:30:00Z") is an instant. Neither: the last full month.
    auto bound = [](const std::string& arg, const char* flag, std::string* date, int64_t* ms) {
      if (arg.empty()) return;
      if (arg.size() == 10)
        *date = arg;
      else
        *ms = date_arg(arg, flag);
    };
    std::string from_date, to_date;
    int64_t from_ms = 0, to_ms = 0;
    bound(from_, "--from", &from_date, &from_ms);
    bound(to_, "--to", &to_date, &to_ms);
    if (from_.empty() && !to_.empty())
      throw Failure(invalid(tr("--to needs --from (without both: the last full month)")));
    req.set_from_date(from_date);
    req.set_to_date(to_date);
    req.set_from_ms(from_ms);
    req.set_to_ms(to_ms);
    req.set_department(department_);
    req.set_unit(unit_);
    Narrative narrative;
    if (!narrative_.empty()) {
      auto parsed = parse_narrative(read_input(narrative_));
      if (!parsed) throw Failure(parsed.error());
      narrative = std::move(parsed).value();
    }
    auto r = call(ctx, &v1::AdminService::Stub::GetReport, req);
    const auto lang = i18n::language();
    return Output::document(format_ == "csv"    ? render_report_csv(r.report(), lang, narrative)
                            : format_ == "html" ? render_report_html(r.report(), lang, narrative)
                                                : render_report_json(r.report(), lang, narrative),
                            out_);
  }

 private:
  std::string from_, to_, format_ = "json", department_, unit_, out_, narrative_;
};

}  // namespace

std::unique_ptr<Command> make_report() {
  return std::make_unique<Report>();
}

}  // namespace warden::ctl
