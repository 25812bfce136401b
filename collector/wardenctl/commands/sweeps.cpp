// sweep run, sweep show, sweep list: asking every connected agent to run its checks now.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

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
  std::string text =
      "sweep " + std::to_string(id) + ": " + std::to_string(s.answered()) + " of " +
      std::to_string(s.expected()) + " agents answered" +
      (s.missing_size() ? "; missing: " + join(s.missing()) : "") +
      (s.deferred() ? "; " + std::to_string(s.deferred_answered()) + " of " +
                          std::to_string(s.deferred()) + " offline hosts caught up since"
                    : "") +
      "\n";
  for (const auto& f : s.failures())
    text += "  " + f.hostname() + "  " + f.finding().check() + "  " + f.finding().summary() + "\n";
  return {j, text};
}

v1::GetSweepResponse get_sweep(Context& ctx, uint64_t id) {
  v1::GetSweepRequest req;
  req.set_sweep_id(id);
  return call(ctx, &v1::AdminService::Stub::GetSweep, req);
}

class SweepRun : public Command {
 public:
  SweepRun() : Command({"sweep", "run"}, "Ask every connected agent to run its checks now") {}
  void add_options(CLI::App& app) override {
    app.add_flag("--wait", wait_,
                 "Wait until every agent answered (or the timeout: then exit with 7)");
    app.add_option("--timeout", timeout_, "How long --wait waits")->capture_default_str();
    app.add_option("--department", department_, "Only this department and those below it");
  }
  Output run(Context& ctx) override {
    auto deadline = std::chrono::steady_clock::now() + duration_arg(timeout_, "--timeout");
    v1::RunSweepRequest req;
    req.set_requested_by(whoami());
    req.set_department(department_);
    auto r = call(ctx, &v1::AdminService::Stub::RunSweep, req);
    uint64_t id = r.sweep_id();
    if (!wait_)
      return {{{"sweep_id", id}, {"expected", r.expected()}},
              "sweep " + std::to_string(id) + " sent to " + std::to_string(r.expected()) +
                  " connected agent(s); follow it with `wardenctl sweep show " +
                  std::to_string(id) + "`\n"};
    bool tty = isatty(STDERR_FILENO) && !ctx.as_json;
    v1::GetSweepResponse s;
    while (true) {
      s = get_sweep(ctx, id);
      if (s.answered() >= s.expected() || std::chrono::steady_clock::now() >= deadline) break;
      if (tty) {
        int width = 30,
            done = s.expected() ? static_cast<int>(width * s.answered() / s.expected()) : width;
        std::cerr << "\rsweep " << id << " [" << std::string(static_cast<size_t>(done), '#')
                  << std::string(static_cast<size_t>(width - done), '.') << "] " << s.answered()
                  << "/" << s.expected() << " answered" << std::flush;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (tty) std::cerr << "\r\033[K";
    Output out = sweep_output(id, s);
    if (s.answered() < s.expected()) out.exit_status = kExitSweepTimedOut;
    return out;
  }

 private:
  bool wait_ = false;
  std::string timeout_ = "60s", department_;
};

class SweepShow : public Command {
 public:
  SweepShow() : Command({"sweep", "show"}, "Progress and result of a sweep") {}
  void add_options(CLI::App& app) override { app.add_option("ID", id_)->required(); }
  Output run(Context& ctx) override { return sweep_output(id_, get_sweep(ctx, id_)); }

 private:
  uint64_t id_ = 0;
};

class SweepList : public Command {
 public:
  SweepList() : Command({"sweep", "list"}, "Recent sweeps") {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListSweeps);
    return list_output(
        r.sweeps(), Table({"ID", "REQUESTED", "BY", "KIND", "DEPARTMENT", "ANSWERED", "OFFLINE"}),
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
                  format_time_utc(s.requested_at_ms()),
                  s.requested_by(),
                  s.kind(),
                  s.department().empty() ? "(all)" : s.department(),
                  std::to_string(s.answered()) + "/" + std::to_string(s.expected()),
                  std::to_string(s.deferred())};
        },
        "no sweeps yet\n");
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
