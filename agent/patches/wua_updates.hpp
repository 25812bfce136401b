// Interpreting what the Windows Update Agent says: pure functions, compiled and unit-tested on
// Linux too (tests/unit/windows_patches_test.cpp). The Windows probe (windows/patch_probe.cpp)
// gathers the raw rows below through WUA COM and hands them here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/patches/patch_facts.hpp"

namespace warden::agent {

inline constexpr size_t kMaxWuaUpdates = 1000;
inline constexpr size_t kMaxWuaTitleBytes = 256;
inline constexpr size_t kMaxHotfixes = 4000;

// One pending update (IUpdate from IUpdateSearcher::Search("IsInstalled=0 and Type='Software'")).
struct WuaUpdate {
  std::string title;
  std::vector<std::string> kb_ids;        // "5034441" (IUpdate::KBArticleIDs, without "KB")
  std::vector<std::string> categories;    // ICategory::Name
  std::vector<std::string> category_ids;  // ICategory::CategoryID
  std::string msrc_severity;              // Critical | Important | Moderate | Low | ""
  std::optional<int64_t> released;        // LastDeploymentChangeTime, Unix s
};

// Everything the probe read.
struct WuaState {
  std::vector<WuaUpdate> pending;
  std::vector<std::string> hotfixes;        // Win32_QuickFixEngineering HotFixID ("KB5034441")
  std::optional<int64_t> searched;          // when the successful search ran, Unix s
  std::optional<int64_t> last_install;      // newest successful installation in the history
  std::vector<std::string> reboot_reasons;  // which reboot-pending markers exist
  std::string server;                       // WSUS server (policy WUServer), empty: Windows Update
};

// The "Security Updates" classification's CategoryID.
inline constexpr const char* kSecurityUpdatesCategory = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

// A security update: classified "Security Updates" (by ID, or by name in English) or carrying an
// MSRC severity.
bool wua_is_security(const WuaUpdate& u);

// An OLE Automation DATE (days since 1899-12-30, UTC for WUA) to Unix seconds; nullopt for 0,
// NaN or out of range.
std::optional<int64_t> ole_date_to_unix(double date);

// The patch facts: each pending update as a PendingUpgrade (name = first KB number or the title,
// candidate = the title, label = MSRC severity, archive = categories), the hotfix count as
// `installed`, the search time as `lists_time`, reboot pending from the markers. Strings bounded
// and printable, lists bounded.
PatchFacts windows_patch_facts(const WuaState& state);

}  // namespace warden::agent
