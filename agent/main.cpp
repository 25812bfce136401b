// warden-agent: enroll with a collector, run as a daemon, or check this PC once.
#include <signal.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
// clang-format off
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>
// clang-format on

#include <cstdio>
#endif

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "agent/daemon.hpp"
#include "agent/enrollment.hpp"
#include "agent/module_registry.hpp"
#include "agent/report_builder.hpp"
#include "agent/sweep_runner.hpp"
#include "common/catalog/check_catalog.hpp"
#include "common/duration.hpp"
#include "common/enrollment_client.hpp"
#include "common/files.hpp"
#include "common/grpc_runtime.hpp"
#include "common/i18n/i18n.hpp"
#include "common/text.hpp"
#include "common/version.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

// The findings for the person at this PC, in its language: check, status, summary rendered from
// the check catalogue.
void print_findings(const SweepResult& r) {
  const i18n::Language lang = i18n::language();
  size_t width = 0, status_width = 0;
  for (const auto& f : r.findings) {
    width = std::max(width, f.check.size());
    status_width =
        std::max(status_width, text::display_width(i18n::tr(to_string(f.status).data())));
  }
  for (const auto& f : r.findings) {
    std::string status = i18n::tr(to_string(f.status).data());
    std::cout << f.check << std::string(width - f.check.size() + 2, ' ') << status
              << std::string(status_width - text::display_width(status) + 2, ' ')
              << catalog::render_summary(f.check, f.summary_key, f.evidence, lang, f.summary)
              << "\n";
  }
  size_t fails = 0;
  for (const auto& f : r.findings) fails += f.status == Status::fail;
  std::cout << "\n" << i18n::trf("{1} checks, {2} failing", r.findings.size(), fails) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
  // Exactly the bytes written (UTF-8, \n): no CRLF translation of the JSON and texts.
  _setmode(_fileno(stdout), _O_BINARY);
  // The log (stderr) line by line even when redirected to a file: msvcrt buffers a redirected
  // stderr, so a running daemon's log stayed empty until it exited.
  setvbuf(stderr, nullptr, _IONBF, 0);
  // Texts are UTF-8 (Chinese under a zh-CN locale): the console shows them as such (Windows 10's
  // console; redirected output is the bytes themselves). No console: the call fails, harmlessly.
  SetConsoleOutputCP(CP_UTF8);
#else
  signal(SIGPIPE, SIG_IGN);
#endif
  using i18n::tr;
  i18n::set_language(i18n::language_from_command_line(argc, argv));
  CLI::App app{tr("warden-agent: Warden's host compliance agent")};
  std::string lang_option;
  app.add_option("--lang", lang_option,
                 tr("Language of messages: zh-CN or en (default: the locale)"))
      ->check([](const std::string& v) {
        return i18n::parse_language(v) ? std::string() : tr("must be zh-CN or en");
      });
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  std::string state_dir = kAgentStateDir;
  // The antivirus catalogue: --catalog FILE, else the installed one, else the compiled-in copy.
  std::string catalog;
  const std::string installed_catalog = std::string(kDataDir) + "/antivirus-catalog.json";

  auto* enroll_cmd = app.add_subcommand("enroll", tr("Enroll this PC with a collector"));
  EnrollOptions eo;
  enroll_cmd
      ->add_option("--collector", eo.collector,
                   tr("Collector address HOST:PORT, or several collectors sharing one database: "
                      "A:PORT,B:PORT (the agent fails over between them)"))
      ->required();
  std::string token_file;
  auto* token_opt = enroll_cmd->add_option(
      "--token", eo.token,
      tr("Enrollment token (visible to every user in `ps`: prefer --token-file)"));
  enroll_cmd
      ->add_option("--token-file", token_file,
                   tr("Read the enrollment token from FILE (`-`: standard input)"))
      ->excludes(token_opt);
  enroll_cmd->add_option("--enroll-address", eo.enroll_address,
                         tr("The collector's enrollment listener HOST:PORT, if it has one apart "
                            "(enroll_listen); default: --collector"));
  enroll_cmd
      ->add_option("--ca-fingerprint", eo.ca_fingerprint,
                   tr("SHA256:<hex> from `warden-collector ca-fingerprint`"))
      ->required();
  enroll_cmd->add_option("--state-dir", state_dir, tr("State directory"))->capture_default_str();
  enroll_cmd->add_flag("--force", eo.force, tr("Replace an existing identity (reinstalled PC)"));

  auto* run_cmd = app.add_subcommand("run", tr("Run the agent daemon"));
  run_cmd->add_option("--state-dir", state_dir, tr("State directory"))->capture_default_str();
  const std::string catalog_help = i18n::trf(
      "Antivirus product catalog (default: {1} if installed, else the copy built into "
      "warden-agent)",
      installed_catalog);
  run_cmd->add_option("--catalog", catalog, catalog_help);
  std::string reconnect_base = "1s", reconnect_max = "60s";
  bool no_startup_sweep = false;
  std::string renew_before = "30d";
  run_cmd
      ->add_option("--renew-before", renew_before,
                   tr("Renew the client certificate when less than this is left"))
      ->capture_default_str();
  run_cmd->add_option("--reconnect-base", reconnect_base, tr("First reconnect delay ceiling"))
      ->capture_default_str();
  run_cmd->add_option("--reconnect-max", reconnect_max, tr("Largest reconnect delay"))
      ->capture_default_str();
  run_cmd->add_flag("--no-startup-sweep", no_startup_sweep,
                    tr("Do not sweep at start (wait for the collector)"));

  auto* check_cmd =
      app.add_subcommand("check", tr("Run every check once, locally, and print the results"));
  bool as_json = false;
  std::string root = "/";
  check_cmd->add_flag("--json", as_json, tr("Print {\"host\",\"facts\",\"findings\"} as JSON"));
  check_cmd->add_option("--state-dir", state_dir, tr("State directory (for the cached policy)"))
      ->capture_default_str();
  check_cmd->add_option("--catalog", catalog, catalog_help);
  check_cmd->add_option("--root", root,
                        tr("Inspect a filesystem tree instead of this host (testing)"));

  CLI11_PARSE(app, argc, argv);
  try {
    configure_grpc_runtime();
    ProbeContext ctx;
    ctx.root = root;
    std::error_code ec;
    if (catalog.empty() && std::filesystem::exists(installed_catalog, ec))
      catalog = installed_catalog;
    ctx.catalog_path = catalog;
    if (*enroll_cmd) {
      if (!token_file.empty())
        eo.token = enrollment::read_enrollment_token(token_file);
      else if (!eo.token.empty())
        std::cerr << "warden-agent: "
                  << tr("warning: --token puts the token on the command line, where other users "
                        "of this PC can read it; use --token-file FILE or - (stdin)")
                  << "\n";
      else
        throw std::runtime_error(
            tr("give the enrollment token with --token-file FILE (or - for stdin)"));
      auto e = enroll(AgentState(state_dir), eo);
      std::cout << i18n::trf("enrolled as {1} in {2} with {3}", e.agent_id, e.department,
                             e.collector)
                << "\n"
                << i18n::trf("identity saved in {1}; start the agent with: {2}", state_dir,
                             "warden-agent run" +
                                 (state_dir == kAgentStateDir ? "" : " --state-dir " + state_dir))
                << "\n";
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
            tr("--reconnect-base and --reconnect-max must be durations with base <= max"));
      d.reconnect_base = *base;
      d.reconnect_max = *cap;
      auto renew = parse_duration(renew_before);
      if (!renew) throw std::runtime_error(tr("--renew-before must be a duration such as 30d"));
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
