// The patch facts as JSON (the same shape from every platform's probe).
#include "agent/patches/patch_facts.hpp"

namespace warden::agent {

nlohmann::json to_json(const PatchFacts& f) {
  nlohmann::json ups = nlohmann::json::array();
  for (const auto& u : f.upgrades)
    ups.push_back({{"name", u.name},
                   {"current", u.current},
                   {"candidate", u.candidate},
                   {"origin", u.origin},
                   {"label", u.label},
                   {"archive", u.archive},
                   {"security", u.security},
                   {"held", u.held},
                   {"upgradable_now", u.upgradable_now},
                   {"first_seen", u.first_seen}});
  auto opt = [](const std::optional<int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  nlohmann::json j = {{"installed", f.installed},
                      {"pending", f.pending},
                      {"pending_security", f.pending_security},
                      {"upgrade_now", f.upgrade_now},
                      {"not_upgraded", f.not_upgraded},
                      {"held", f.held},
                      {"upgrades", ups},
                      {"lists_time", opt(f.lists_time)},
                      {"last_install_time", opt(f.last_install_time)},
                      {"reboot_required", f.reboot_required},
                      {"reboot_required_pkgs", f.reboot_required_pkgs},
                      {"running_kernel", f.running_kernel},
                      {"newest_kernel", f.newest_kernel}};
  if (!f.source.empty()) j["source"] = f.source;
  if (!f.installed_updates.empty()) j["installed_updates"] = f.installed_updates;
  return j;
}

}  // namespace warden::agent
