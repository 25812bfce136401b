// wardenctl commands for the compliance engine: ledger, usb, policy, assign, events, incidents,
// audit, sweep list, report.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>

#include "collector/wardenctl/admin_client.hpp"

namespace warden::ctl {

// Registers the commands; the returned function runs the one selected (nullopt if none was).
std::function<std::optional<int>()> add_engine_commands(CLI::App& app, Context& ctx);

}  // namespace warden::ctl
