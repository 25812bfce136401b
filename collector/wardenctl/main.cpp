// wardenctl: the admin command line for a Warden collector, over its admin socket. The commands
// are objects listed in commands.cpp (command.hpp says what one is); this file parses the global
// flags, runs the chosen command and turns a failure into its exit code.
#include <CLI/CLI.hpp>
#include <iostream>

#include "collector/wardenctl/commands.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

using namespace warden;
using namespace warden::ctl;

int main(int argc, char** argv) {
  Context ctx;
  CLI::App app{"wardenctl: query and steer a Warden collector"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.add_option("-s,--socket", ctx.socket, "Collector admin socket")->capture_default_str();
  app.add_flag("--json", ctx.as_json, "Machine-readable JSON output");
  app.footer(
      "Exit codes: 0 ok, 1 internal error, 2 invalid input, 3 not found, 4 conflict, 5 denied,\n"
      "6 collector unavailable, 7 `sweep run --wait` timed out before every agent answered;\n"
      "a wrong command line exits as CLI11 does (100 and up).");
  CommandLine commands(app, ctx);

  CLI11_PARSE(app, argc, argv);

  try {
    return commands.run(ctx);
  } catch (const Failure& f) {
    std::cerr << "wardenctl: " << f.what() << "\n";
    return exit_code(f.error().kind);
  } catch (const std::exception& e) {
    std::cerr << "wardenctl: " << e.what() << "\n";
    return 1;
  }
}
