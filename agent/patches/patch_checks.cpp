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
                       {"within_grace", waiting}};
  if (!overdue.empty())
    out.push_back(make_finding("patch.security_updates", Status::fail, Severity::high,
                               std::to_string(overdue.size()) +
                                   " security update(s) pending longer than " +
                                   std::to_string(p.security_grace_days) + " days (e.g. " +
                                   overdue[0]["name"].get<std::string>() + ")",
                               ev));
  else if (!waiting.empty())
    out.push_back(make_finding("patch.security_updates", Status::pass, Severity::low,
                               std::to_string(waiting.size()) +
                                   " security update(s) pending, within the " +
                                   std::to_string(p.security_grace_days) + "-day grace period",
                               ev));
  else
    out.push_back(make_finding("patch.security_updates", Status::pass, Severity::info,
                               "no security updates pending", ev));

  nlohmann::json rec = {{"max_days", p.updates_recent_days}};
  if (!f.lists_time) {
    out.push_back(make_finding("patch.updates_recent", Status::fail, Severity::medium,
                               "the package lists have never been refreshed", rec));
  } else {
    int64_t days = (now_s - *f.lists_time) / 86400;
    rec["lists_time"] = format_time_utc(*f.lists_time * 1000);
    rec["age_days"] = days;
    if (f.last_install_time)
      rec["last_install_time"] = format_time_utc(*f.last_install_time * 1000);
    if (days > p.updates_recent_days)
      out.push_back(make_finding("patch.updates_recent", Status::fail, Severity::medium,
                                 "the package lists were last refreshed " + std::to_string(days) +
                                     " days ago (limit " + std::to_string(p.updates_recent_days) +
                                     ")",
                                 rec));
    else
      out.push_back(make_finding(
          "patch.updates_recent", Status::pass, Severity::info,
          "the package lists were refreshed " + std::to_string(days) + " day(s) ago", rec));
  }

  nlohmann::json rb = {{"running_kernel", f.running_kernel},
                       {"newest_kernel", f.newest_kernel},
                       {"reboot_required_pkgs", f.reboot_required_pkgs}};
  if (f.reboot_required)
    out.push_back(make_finding("patch.reboot_pending", Status::fail, Severity::medium,
                               !f.newest_kernel.empty() && f.newest_kernel != f.running_kernel
                                   ? "a reboot is needed: running kernel " + f.running_kernel +
                                         ", installed " + f.newest_kernel
                                   : "a reboot is needed to finish installing updates",
                               rb));
  else
    out.push_back(make_finding("patch.reboot_pending", Status::pass, Severity::info,
                               "no reboot pending", rb));
  return out;
}

}  // namespace warden::agent
