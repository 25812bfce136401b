#include "collector/wardenctl/commands.hpp"

#include <fstream>
#include <iostream>
#include <map>

#include "collector/wardenctl/commands/commands.hpp"

namespace warden::ctl {

namespace {

// Every command, in the order --help lists them. A group (`token`, `sweep`, ...) is made by the
// first command in it, with its help from kGroups. A command may also be a group (`incidents`
// lists, `incidents set` fills one in; `units`, `units revoke`): its subcommands are then
// optional.
std::unique_ptr<Command> (*const kCommands[])() = {
    make_token_create,
    make_token_list,
    make_token_revoke,
    make_status,
    make_hosts,
    make_host,
    make_revoke,
    make_findings,
    make_sweep_run,
    make_sweep_show,
    make_sweep_list,
    make_assign,
    make_ledger_import,
    make_ledger_export,
    make_ledger_list,
    make_ledger_set,
    make_ledger_remove,
    make_usb_register,
    make_usb_list,
    make_usb_history,
    make_policy_show,
    make_policy_set,
    make_policy_import,
    make_policy_export,
    make_events,
    make_incidents,
    make_incidents_set,
    make_audit,
    make_report,
    make_remediation_set,
    make_remediation_list,
    make_remediation_close,
    make_units,
    make_units_revoke,
    make_exchange_identity,
    make_exchange_peer_add,
    make_exchange_peer_remove,
    make_exchange_peers,
    make_exchange_export,
    make_exchange_import,
};

const std::map<std::string, const char*> kGroups = {
    {"token", N_("Enrollment tokens")},
    {"sweep", N_("Compliance sweeps")},
    {"ledger", N_("The IP/MAC ledger: names, IPs and MACs assigned centrally")},
    {"usb", N_("The removable media registry")},
    {"policy", N_("Per-department policy, inherited down the tree")},
    {"remediation", N_("The problem list: remediation measures, persons responsible, deadlines")},
    {"exchange", N_("Offline exchange with isolated networks: signed, encrypted bundle files")},
    {"peer", N_("The collectors bundles go to and come from")},
};

// A subcommand's -h is made before it takes its parent's option defaults, so it would be listed
// apart, under CLI11's English "Options"; made again, it joins the translated group.
void translate_help_flag(CLI::App& sub) {
  sub.set_help_flag("-h,--help", tr("Print this help message and exit"));
}

void write_text(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    std::cout << data;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Failure(invalid(trf("cannot write {1}", path)));
  out << data;
  std::cerr << trf("wrote {1}", path) << "\n";
}

}  // namespace

CommandLine::CommandLine(CLI::App& app, Context& ctx) {
  std::map<std::string, CLI::App*> groups;  // by path, "token " for `token ...`
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
        group = parent->add_subcommand(path[i], help == kGroups.end() ? "" : tr(help->second));
        group->group(tr("Subcommands"));
        translate_help_flag(*group);
        group->require_subcommand(1);
      } else if (commands_by_sub_.count(group)) {
        group->require_subcommand(0, 1);  // a command with subcommands of its own
      }
      parent = group;
    }
    auto* sub = parent->add_subcommand(path.back(), cmd->help());
    groups[at + path.back() + " "] = sub;  // a later command may be below this one
    sub->group(tr("Subcommands"));
    translate_help_flag(*sub);
    cmd->add_options(*sub);
    // An option with a validator shows "TEXT:{a,b}", which CLI11's labels do not translate.
    for (auto* opt : sub->get_options())
      if (opt->get_type_name().rfind("TEXT:", 0) == 0) opt->type_name(tr("TEXT"));
    if (cmd->has_json()) sub->add_flag("--json", ctx.as_json, tr("Machine-readable JSON output"));
    // --lang is read before the command line is built (main.cpp); here so it may follow the
    // command too.
    sub->add_option("--lang", lang_, tr("Language of the output: zh-CN or en"));
    parsed_by_.emplace_back(sub, cmd.get());
    commands_by_sub_.insert(sub);
    commands_.push_back(std::move(cmd));
  }
}

std::string error_lead_in(ErrorKind kind) {
  if (i18n::language() == i18n::Language::en) return "";  // English keeps the message alone
  switch (kind) {
    case ErrorKind::invalid:
      return tr("invalid input: ");
    case ErrorKind::not_found:
      return tr("not found: ");
    case ErrorKind::conflict:
      return tr("conflict: ");
    case ErrorKind::denied:
      return tr("denied: ");
    case ErrorKind::unavailable:
      return tr("unavailable: ");
    case ErrorKind::internal:
      return tr("internal error: ");
  }
  return "";
}

int CommandLine::run(Context& ctx) const {
  // The deepest command parsed: `incidents set` parses `incidents` too.
  for (auto it = parsed_by_.rbegin(); it != parsed_by_.rend(); ++it) {
    const auto& [sub, cmd] = *it;
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
