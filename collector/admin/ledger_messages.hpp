// The IP/MAC ledger between the admin API's messages and the ledger repository's domain values
// (LedgerEntry, collector/ledger/ledger_csv.hpp).
#pragma once

#include "collector/ledger/ledger_csv.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::LedgerEntry to_message(const LedgerEntry& entry);

// One entry to set, through the same validation as a row of an imported file (normalised
// addresses, class); throws Failure(invalid) with the problem otherwise.
LedgerEntry ledger_entry_to_set(const v1::LedgerEntry& request);

}  // namespace warden::collector
