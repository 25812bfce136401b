#include "agent/patches/patch_checks.hpp"

#include "common/duration.hpp"

namespace warden::agent {

std::vector<Finding> evaluate_patches(const PatchFacts& f, const PatchPolicy& p, int64_t now_s) {
  std::vector<Finding> out;
  nlohmann::json overdue = nlohmann::json::array(), waiting = nlohmann::json::array();
  for (const auto& u : f.upgrades) {
    if (!u.security) continue;
    int64_t days = (now_s - u.first_seen) / 86400;
    nlohmann::json j = {{"name", u.name},       {"current", u.current}, {"candidate", u.candidate},
                        {"archive", u.archive}, {"pending_days", days}, {"held", u.held}};
    (days > p.security_grace_days ? overdue : waiting).push_back(j);
  }
  nlohmann::json ev = {{"pending", f.pending},
                       {"pending_security", f.pending_security},
                       {"grace_days", p.security_grace_days},
                       {"overdue", overdue},
                       {"overdue_count", overdue.size()},
                       {"within_grace", waiting},
                       {"within_grace_count", waiting.size()}};
  if (!overdue.empty())
    out.push_back(
        make_finding("patch.security_updates", Status::fail, Severity::high, "overdue", ev));
  else if (!waiting.empty())
    out.push_back(
        make_finding("patch.security_updates", Status::pass, Severity::low, "within_grace", ev));
  else
    out.push_back(make_finding("patch.security_updates", Status::pass, Severity::info, "none", ev));

  nlohmann::json rec = {{"max_days", p.updates_recent_days}};
  if (!f.lists_time) {
    out.push_back(
        make_finding("patch.updates_recent", Status::fail, Severity::medium, "never", rec));
  } else {
    int64_t days = (now_s - *f.lists_time) / 86400;
    rec["lists_time"] = format_time_utc(*f.lists_time * 1000);
    rec["age_days"] = days;
    if (f.last_install_time)
      rec["last_install_time"] = format_time_utc(*f.last_install_time * 1000);
    if (days > p.updates_recent_days)
      out.push_back(
          make_finding("patch.updates_recent", Status::fail, Severity::medium, "stale", rec));
    else
      out.push_back(
          make_finding("patch.updates_recent", Status::pass, Severity::info, "recent", rec));
  }

  nlohmann::json rb = {{"running_kernel", f.running_kernel},
                       {"newest_kernel", f.newest_kernel},
                       {"reboot_required_pkgs", f.reboot_required_pkgs}};
  if (f.reboot_required)
    out.push_back(make_finding(
        "patch.reboot_pending", Status::fail, Severity::medium,
        !f.newest_kernel.empty() && f.newest_kernel != f.running_kernel ? "kernel" : "updates",
        rb));
  else
    out.push_back(make_finding("patch.reboot_pending", Status::pass, Severity::info, "none", rb));
  return out;
}

}  // namespace warden::agent
