#include "collector/wardenctl/commands.hpp"

#include <fstream>
#include <iostream>
#include <map>

#include "collector/wardenctl/commands/commands.hpp"

namespace warden::ctl {

namespace {

// Every command, in the order --help lists them. A group (`token`, `sweep`, ...) is made by the
// first command in it, with its help from kGroups.
std::unique_ptr<Command> (*const kCommands[])() = {
    make_token_create, make_token_list,    make_token_revoke,  make_status,        make_hosts,
    make_host,         make_revoke,        make_findings,      make_sweep_run,     make_sweep_show,
    make_sweep_list,   make_assign,        make_ledger_import, make_ledger_export, make_ledger_list,
    make_ledger_set,   make_ledger_remove, make_usb_register,  make_usb_list,      make_usb_history,
    make_policy_show,  make_policy_set,    make_policy_import, make_policy_export, make_events,
    make_incidents,    make_audit,         make_report,
};

const std::map<std::string, std::string> kGroups = {
    {"token", "Enrollment tokens"},
    {"sweep", "Compliance sweeps"},
    {"ledger", "The IP/MAC ledger: names, IPs and MACs assigned centrally"},
    {"usb", "The removable media registry"},
    {"policy", "Per-department policy, inherited down the tree"},
};

void write_text(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    std::cout << data;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Failure(invalid("cannot write " + path));
  out << data;
  std::cerr << "wrote " << path << "\n";
}

}  // namespace

CommandLine::CommandLine(CLI::App& app, Context& ctx) {
  std::map<std::string, CLI::App*> groups;
  for (auto make : kCommands) {
    auto cmd = make();
    CLI::App* parent = &app;
    std::string at;
    const auto& path = cmd->path();
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      at += path[i] + " ";
      auto& group = groups[at];
      if (!group) {
        auto help = kGroups.find(path[i]);
        group = parent->add_subcommand(path[i], help == kGroups.end() ? "" : help->second);
        group->require_subcommand(1);
      }
      parent = group;
    }
    auto* sub = parent->add_subcommand(path.back(), cmd->help());
    cmd->add_options(*sub);
    if (cmd->has_json()) sub->add_flag("--json", ctx.as_json, "Machine-readable JSON output");
    parsed_by_.emplace_back(sub, cmd.get());
    commands_.push_back(std::move(cmd));
  }
}

int CommandLine::run(Context& ctx) const {
  for (const auto& [sub, cmd] : parsed_by_) {
    if (!sub->parsed()) continue;
    Output out = cmd->run(ctx);
    emit(ctx, out);
    return out.exit_status;
  }
  return 0;  // unreachable: the command line requires a command
}

void emit(const Context& ctx, const Output& out) {
  std::cerr << out.diagnostics;
  if (ctx.as_json && !out.data.is_null())
    std::cout << out.data.dump(2) << "\n";
  else
    write_text(out.to_file, out.text);
}

}  // namespace warden::ctl
