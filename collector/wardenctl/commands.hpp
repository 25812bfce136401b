// wardenctl's command line, built from the table of commands (commands.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collector/wardenctl/command.hpp"
#include "common/error.hpp"

namespace warden::ctl {

class CommandLine {
 public:
  // Adds every command (and the groups they are in) to `app`; --json sets ctx.as_json.
  CommandLine(CLI::App& app, Context& ctx);
  // Runs the command the parsed command line chose, prints its output and returns the exit code.
  // Failures are thrown (common/error.hpp).
  int run(Context& ctx) const;

 private:
  std::string lang_;  // --lang after the command (already applied by main.cpp)
  std::vector<std::unique_ptr<Command>> commands_;
  std::vector<std::pair<CLI::App*, Command*>> parsed_by_;
  std::set<CLI::App*> commands_by_sub_;  // the subcommands that are commands (not only groups)
};

// The words before a failure's message on standard error, naming its kind in the chosen
// language ("未找到：" ...); nothing in English, where the message stands alone.
std::string error_lead_in(ErrorKind kind);

// How an Output is shown: JSON for --json when the command has a JSON form, else its text.
void emit(const Context& ctx, const Output& out);

}  // namespace warden::ctl
