// warden-agent: enroll with a collector, run as a daemon, or check this PC once.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "agent/daemon.hpp"
#include "agent/enrollment.hpp"
#include "agent/module_registry.hpp"
#include "agent/report_builder.hpp"
#include "agent/sweep_runner.hpp"
#include "common/duration.hpp"
#include "common/files.hpp"
#include "common/grpc_runtime.hpp"
#include "common/version.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

void print_findings(const SweepResult& r) {
  size_t width = 0;
  for (const auto& f : r.findings) width = std::max(width, f.check.size());
  for (const auto& f : r.findings) {
    std::string status(to_string(f.status));
    std::cout << f.check << std::string(width - f.check.size() + 2, ' ') << status
              << std::string(16 - std::min<size_t>(status.size(), 15), ' ') << f.summary << "\n";
  }
  size_t fails = 0;
  for (const auto& f : r.findings) fails += f.status == Status::fail;
  std::cout << "\n" << r.findings.size() << " checks, " << fails << " failing\n";
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  CLI::App app{"warden-agent: Warden's host compliance agent"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  std::string state_dir = kAgentStateDir;
  std::string catalog = std::string(kDataDir) + "/antivirus-catalog.json";

  auto* enroll_cmd = app.add_subcommand("enroll", "Enroll this PC with a collector");
  EnrollOptions eo;
  enroll_cmd->add_option("--collector", eo.collector, "Collector address HOST:PORT")->required();
  std::string token_file;
  auto* token_opt = enroll_cmd->add_option(
      "--token", eo.token, "Enrollment token (visible to every user in `ps`: prefer --token-file)");
  enroll_cmd
      ->add_option("--token-file", token_file,
                   "Read the enrollment token from FILE (`-`: standard input)")
      ->excludes(token_opt);
  enroll_cmd->add_option("--enroll-address", eo.enroll_address,
                         "The collector's enrollment listener HOST:PORT, if it has one apart "
                         "(enroll_listen); default: --collector");
  enroll_cmd
      ->add_option("--ca-fingerprint", eo.ca_fingerprint,
                   "SHA256:<hex> from `warden-collector ca-fingerprint`")
      ->required();
  enroll_cmd->add_option("--state-dir", state_dir, "State directory")->capture_default_str();
  enroll_cmd->add_flag("--force", eo.force, "Replace an existing identity (reinstalled PC)");

  auto* run_cmd = app.add_subcommand("run", "Run the agent daemon");
  run_cmd->add_option("--state-dir", state_dir, "State directory")->capture_default_str();
  run_cmd->add_option("--catalog", catalog, "Antivirus product catalog")->capture_default_str();
  std::string reconnect_base = "1s", reconnect_max = "60s";
  bool no_startup_sweep = false;
  std::string renew_before = "30d";
  run_cmd
      ->add_option("--renew-before", renew_before,
                   "Renew the client certificate when less than this is left")
      ->capture_default_str();
  run_cmd->add_option("--reconnect-base", reconnect_base, "First reconnect delay ceiling")
      ->capture_default_str();
  run_cmd->add_option("--reconnect-max", reconnect_max, "Largest reconnect delay")
      ->capture_default_str();
  run_cmd->add_flag("--no-startup-sweep", no_startup_sweep,
                    "Do not sweep at start (wait for the collector)");

  auto* check_cmd =
      app.add_subcommand("check", "Run every check once, locally, and print the results");
  bool as_json = false;
  std::string root = "/";
  check_cmd->add_flag("--json", as_json, "Print {\"host\",\"facts\",\"findings\"} as JSON");
  check_cmd->add_option("--state-dir", state_dir, "State directory (for the cached policy)")
      ->capture_default_str();
  check_cmd->add_option("--catalog", catalog, "Antivirus product catalog")->capture_default_str();
  check_cmd->add_option("--root", root, "Inspect a filesystem tree instead of this host (testing)");

  CLI11_PARSE(app, argc, argv);
  try {
    configure_grpc_runtime();
    ProbeContext ctx;
    ctx.root = root;
    ctx.catalog_path = catalog;
    if (*enroll_cmd) {
      if (!token_file.empty())
        eo.token = read_enrollment_token(token_file);
      else if (!eo.token.empty())
        std::cerr << "warden-agent: warning: --token puts the token on the command line, where "
                     "other users of this PC can read it; use --token-file FILE or - (stdin)\n";
      else
        throw std::runtime_error(
            "give the enrollment token with --token-file FILE (or - for stdin)");
      auto e = enroll(AgentState(state_dir), eo);
      std::cout << "enrolled as " << e.agent_id << " in " << e.department << " with " << e.collector
                << "\nidentity saved in " << state_dir << "; start the agent with: warden-agent run"
                << (state_dir == kAgentStateDir ? "" : " --state-dir " + state_dir) << "\n";
      return 0;
    }
    if (*run_cmd) {
      DaemonOptions d;
      d.state_dir = state_dir;
      d.probe_context = ctx;
      d.sweep_on_start = !no_startup_sweep;
      auto base = parse_duration_ms(reconnect_base), cap = parse_duration_ms(reconnect_max);
      if (!base || !cap || *base > *cap)
        throw std::runtime_error(
            "--reconnect-base and --reconnect-max must be durations with base <= max");
      d.reconnect_base = *base;
      d.reconnect_max = *cap;
      auto renew = parse_duration(renew_before);
      if (!renew) throw std::runtime_error("--renew-before must be a duration such as 30d");
      d.renew_before = *renew;
      return run_daemon(d);
    }
    if (*check_cmd) {
      AgentState state(state_dir);
      AgentPolicy policy = state.load_policy();
      ctx.state_dir = std::filesystem::exists(state_dir) ? std::filesystem::path(state_dir) : "";
      auto modules = make_check_modules(ctx);
      auto result = run_sweep(modules, policy);
      if (as_json)
        std::cout << check_output(result).dump(2, ' ', false,
                                               nlohmann::json::error_handler_t::replace)
                  << "\n";
      else
        print_findings(result);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "warden-agent: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
