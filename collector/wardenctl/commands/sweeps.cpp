// sweep run, sweep show, sweep list: asking every connected agent to run its checks now.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

std::string sweep_kind_text(const std::string& kind) {
  static const char* const known[] = {N_("manual"), N_("scheduled")};
  for (const char* k : known)
    if (kind == k) return tr(k);
  return kind;
}

// "0:07", "12:34", "1:02:03".
std::string elapsed_text(std::chrono::steady_clock::duration d) {
  long s = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  char buf[32];
  if (s >= 3600)
    snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// How `sweep run --wait` shows its progress: on a terminal one bar redrawn in place,
//   [#####-----] 12/40 answered  0:07 elapsed
// elsewhere (a pipe, a file) one plain line each time the answered count changes.
class Progress {
 public:
  Progress(std::ostream& out, bool terminal, uint64_t id)
      : out_(out), terminal_(terminal), id_(id), start_(std::chrono::steady_clock::now()) {}
  void update(uint32_t answered, uint32_t expected) {
    std::string elapsed = elapsed_text(std::chrono::steady_clock::now() - start_);
    if (terminal_) {
      constexpr uint32_t kWidth = 20;
      uint32_t done = expected ? std::min(kWidth, kWidth * answered / expected) : kWidth;
      std::string line = "[" + std::string(done, '#') + std::string(kWidth - done, '-') + "] " +
                         trf("{1}/{2} answered  {3} elapsed", answered, expected, elapsed);
      out_ << "\r" << line << "\033[K" << std::flush;
      drawn_ = true;
    } else if (!last_ || *last_ != answered) {
      out_ << trf("sweep {1}: {2}/{3} answered, {4} elapsed", id_, answered, expected, elapsed)
           << "\n"
           << std::flush;
    }
    last_ = answered;
  }
  // Clears the bar before the result is printed.
  void finish() {
    if (terminal_ && drawn_) out_ << "\r\033[K" << std::flush;
  }

 private:
  std::ostream& out_;
  bool terminal_;
  uint64_t id_;
  std::chrono::steady_clock::time_point start_;
  std::optional<uint32_t> last_;
  bool drawn_ = false;
};

// A sweep's progress and result, for `sweep show` and `sweep run --wait`.
Output sweep_output(uint64_t id, const v1::GetSweepResponse& s) {
  json j = {{"sweep_id", id},
            {"expected", s.expected()},
            {"answered", s.answered()},
            {"missing", strings(s.missing())},
            {"requested_at", format_time_utc(s.requested_at_ms())},
            {"requested_by", s.requested_by()},
            {"deferred", s.deferred()},
            {"deferred_answered", s.deferred_answered()},
            {"department", s.department()},
            {"kind", s.kind()},
            {"failures", json::array()}};
  for (const auto& f : s.failures()) j["failures"].push_back(finding_json(f));
  std::string text = trf("sweep {1}: {2} of {3} agents answered", id, s.answered(), s.expected()) +
                     (s.missing_size() ? trf("; missing: {1}", join(s.missing())) : "") +
                     (s.deferred() ? trf("; {1} of {2} offline hosts caught up since",
                                         s.deferred_answered(), s.deferred())
                                   : "") +
                     "\n";
  if (s.failures_size()) {
    Table failures({tr("HOSTNAME"), tr("CHECK"), tr("TITLE"), tr("SEVERITY"), tr("SUMMARY")});
    for (const auto& f : s.failures())
      failures.add({f.hostname(), f.finding().check(), check_title(f.finding().check()),
                    severity_text(f.finding().severity()), summary_text(f.finding())});
    text += "\n" + failures.render();
  }
  return {j, text};
}

v1::GetSweepResponse get_sweep(Context& ctx, uint64_t id) {
  v1::GetSweepRequest req;
  req.set_sweep_id(id);
  return call(ctx, &v1::AdminService::Stub::GetSweep, req);
}

class SweepRun : public Command {
 public:
  SweepRun() : Command({"sweep", "run"}, tr("Ask every connected agent to run its checks now")) {}
  void add_options(CLI::App& app) override {
    app.add_flag("--wait", wait_,
                 tr("Wait until every agent answered (or the timeout: then exit with 7)"));
    app.add_option("--timeout", timeout_, tr("How long --wait waits"))->capture_default_str();
    app.add_option("--department", department_, tr("Only this department and those below it"));
    app.add_option("--unit", unit_,
                   tr("Ask this unit below (name or path) to sweep its own hosts; it starts "
                      "when its link next forwards"));
  }
  Output run(Context& ctx) override {
    auto deadline = std::chrono::steady_clock::now() + duration_arg(timeout_, "--timeout");
    v1::RunSweepRequest req;
    req.set_requested_by(whoami());
    req.set_department(department_);
    req.set_unit(unit_);
    if (!unit_.empty() && (wait_ || !department_.empty()))
      throw Failure(
          invalid(tr("--unit takes neither --wait nor --department: follow the unit's "
                     "sweep with `wardenctl units`")));
    auto r = call(ctx, &v1::AdminService::Stub::RunSweep, req);
    if (!unit_.empty())
      return {{{"unit", unit_}, {"request_id", r.unit_request_id()}},
              trf("asked unit {1} for a sweep (request {2}); it starts when the unit next "
                  "forwards",
                  unit_, r.unit_request_id()) +
                  "\n"};
    uint64_t id = r.sweep_id();
    if (!wait_)
      return {{{"sweep_id", id}, {"expected", r.expected()}},
              trnf("sweep {2} sent to {1} connected agent; follow it with `wardenctl sweep show "
                   "{2}`",
                   "sweep {2} sent to {1} connected agents; follow it with `wardenctl sweep show "
                   "{2}`",
                   static_cast<long>(r.expected()), id) +
                  "\n"};
    // Progress goes to standard output for people; with --json that is the JSON alone, so the
    // bar goes to standard error if that is a terminal, and nothing is shown otherwise.
    std::optional<Progress> progress;
    if (!ctx.as_json)
      progress.emplace(std::cout, isatty(STDOUT_FILENO) != 0, id);
    else if (isatty(STDERR_FILENO))
      progress.emplace(std::cerr, true, id);
    v1::GetSweepResponse s;
    while (true) {
      s = get_sweep(ctx, id);
      bool done = s.answered() >= s.expected() || std::chrono::steady_clock::now() >= deadline;
      if (progress) progress->update(s.answered(), s.expected());
      if (done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (progress) progress->finish();
    Output out = sweep_output(id, s);
    if (s.answered() < s.expected()) out.exit_status = kExitSweepTimedOut;
    return out;
  }

 private:
  bool wait_ = false;
  std::string timeout_ = "60s", department_, unit_;
};

class SweepShow : public Command {
 public:
  SweepShow() : Command({"sweep", "show"}, tr("Progress and result of a sweep")) {}
  void add_options(CLI::App& app) override {
    app.add_option("ID", id_, tr("Sweep ID"))->required();
  }
  Output run(Context& ctx) override { return sweep_output(id_, get_sweep(ctx, id_)); }

 private:
  uint64_t id_ = 0;
};

class SweepList : public Command {
 public:
  SweepList() : Command({"sweep", "list"}, tr("Recent sweeps")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListSweeps);
    return list_output(
        r.sweeps(),
        Table({tr("ID"), tr("REQUESTED"), tr("BY"), tr("KIND"), tr("DEPARTMENT"), tr("ANSWERED"),
               tr("OFFLINE")}),
        [](const v1::SweepSummary& s) -> json {
          return {{"sweep_id", s.sweep_id()},
                  {"requested_at", format_time_utc(s.requested_at_ms())},
                  {"requested_by", s.requested_by()},
                  {"kind", s.kind()},
                  {"department", s.department()},
                  {"expected", s.expected()},
                  {"answered", s.answered()},
                  {"deferred", s.deferred()}};
        },
        [](const v1::SweepSummary& s) -> std::vector<std::string> {
          return {std::to_string(s.sweep_id()),
                  local_time(s.requested_at_ms()),
                  s.requested_by(),
                  sweep_kind_text(s.kind()),
                  s.department().empty() ? tr("(all)") : s.department(),
                  std::to_string(s.answered()) + "/" + std::to_string(s.expected()),
                  std::to_string(s.deferred())};
        },
        tr("no sweeps yet") + "\n");
  }
};

}  // namespace

std::unique_ptr<Command> make_sweep_run() {
  return std::make_unique<SweepRun>();
}
std::unique_ptr<Command> make_sweep_show() {
  return std::make_unique<SweepShow>();
}
std::unique_ptr<Command> make_sweep_list() {
  return std::make_unique<SweepList>();
}

}  // namespace warden::ctl
