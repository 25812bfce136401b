// Plain facts about the package state: Debian/Ubuntu (libapt-pkg) and Windows (Windows Update
// Agent) fill the same struct through the PatchProbe interface.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace warden::agent {

struct PendingUpgrade {
  std::string name;
  std::string current;
  std::string candidate;
  std::string origin;
  std::string label;
  std::string archive;  // suite
  bool security = false;
  bool held = false;            // dpkg hold / apt-mark hold
  bool upgradable_now = false;  // what `apt-get upgrade` would do (not kept back)
  int64_t first_seen = 0;       // when this candidate was first seen pending (Unix s)
};

struct PatchFacts {
  size_t installed = 0;
  size_t upgrade_now = 0;   // apt-get -s upgrade: "N upgraded"
  size_t not_upgraded = 0;  // apt-get -s upgrade: "K not upgraded" (kept back, held)
  size_t pending = 0;  // installed packages with a newer candidate (= upgrade_now + not_upgraded)
  size_t pending_security = 0;
  std::vector<std::string> held;
  std::vector<PendingUpgrade> upgrades;
  std::optional<int64_t> lists_time;         // last successful package-list refresh (Unix s)
  std::optional<int64_t> last_install_time;  // last dpkg activity
  bool reboot_required = false;
  std::vector<std::string> reboot_required_pkgs;
  std::string running_kernel;
  std::string newest_kernel;
  // Windows (agent/patches/wua_updates.hpp): where updates come from ("Windows Update" or the WSUS
  // server) and the installed hotfixes (KB numbers). Empty on Linux, and then absent from the JSON.
  std::string source;
  std::vector<std::string> installed_updates;
};

nlohmann::json to_json(const PatchFacts& f);

}  // namespace warden::agent
