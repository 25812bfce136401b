// The wardenctl commands, one make_ function each, defined in the file of their group. The table
// that lists them (and the order --help shows them in) is commands.cpp.
#pragma once

#include <memory>

#include "collector/wardenctl/command.hpp"

namespace warden::ctl {

// tokens.cpp
std::unique_ptr<Command> make_token_create();
std::unique_ptr<Command> make_token_list();
std::unique_ptr<Command> make_token_revoke();
// hosts.cpp
std::unique_ptr<Command> make_status();
std::unique_ptr<Command> make_hosts();
std::unique_ptr<Command> make_host();
std::unique_ptr<Command> make_revoke();
std::unique_ptr<Command> make_assign();
// findings.cpp
std::unique_ptr<Command> make_findings();
// sweeps.cpp
std::unique_ptr<Command> make_sweep_run();
std::unique_ptr<Command> make_sweep_show();
std::unique_ptr<Command> make_sweep_list();
// ledger.cpp
std::unique_ptr<Command> make_ledger_import();
std::unique_ptr<Command> make_ledger_export();
std::unique_ptr<Command> make_ledger_list();
std::unique_ptr<Command> make_ledger_set();
std::unique_ptr<Command> make_ledger_remove();
// usb.cpp
std::unique_ptr<Command> make_usb_register();
std::unique_ptr<Command> make_usb_list();
std::unique_ptr<Command> make_usb_history();
// policy.cpp
std::unique_ptr<Command> make_policy_show();
std::unique_ptr<Command> make_policy_set();
std::unique_ptr<Command> make_policy_import();
std::unique_ptr<Command> make_policy_export();
// events.cpp
std::unique_ptr<Command> make_events();
std::unique_ptr<Command> make_incidents();
std::unique_ptr<Command> make_incidents_set();
std::unique_ptr<Command> make_audit();
// remediation.cpp
std::unique_ptr<Command> make_remediation_set();
std::unique_ptr<Command> make_remediation_list();
std::unique_ptr<Command> make_remediation_close();
// report.cpp
std::unique_ptr<Command> make_report();
// units.cpp
std::unique_ptr<Command> make_units();
std::unique_ptr<Command> make_units_revoke();
// exchange.cpp
std::unique_ptr<Command> make_exchange_identity();
std::unique_ptr<Command> make_exchange_peer_add();
std::unique_ptr<Command> make_exchange_peer_remove();
std::unique_ptr<Command> make_exchange_peers();
std::unique_ptr<Command> make_exchange_export();
std::unique_ptr<Command> make_exchange_import();

}  // namespace warden::ctl
