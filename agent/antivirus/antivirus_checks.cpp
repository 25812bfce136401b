#include "agent/antivirus/antivirus_checks.hpp"

#include "common/duration.hpp"

namespace warden::agent {

std::vector<Finding> evaluate_antivirus(const std::vector<AntivirusFacts>& facts,
                                        const AntivirusPolicy& policy, int64_t now_s) {
  std::vector<const AntivirusFacts*> installed;
  for (const auto& f : facts)
    if (f.installed) installed.push_back(&f);
  std::vector<Finding> out;
  if (installed.empty()) {
    Severity sev = policy.required ? Severity::critical : Severity::info;
    Status st = policy.required ? Status::fail : Status::not_applicable;
    nlohmann::json known = nlohmann::json::array();
    for (const auto& f : facts) known.push_back(f.product);
    out.push_back(
        make_finding("av.installed", st, sev, "no known antivirus product is installed",
                     {{"catalog", known}, {"expected", "one catalog product installed"}}));
    out.push_back(make_finding("av.running", st, sev, "no antivirus to run"));
    out.push_back(make_finding("av.signatures_fresh", st, sev, "no antivirus signatures"));
    return out;
  }
  const AntivirusFacts& p = *installed.front();
  // Prefer a product that is running, then one with signatures.
  const AntivirusFacts* best = installed.front();
  for (auto* f : installed)
    if (f->running && !best->running) best = f;
  out.push_back(make_finding("av.installed", Status::pass, Severity::info, p.name + " is installed",
                             {{"product", p.product}, {"evidence", p.installed_evidence}}));
  nlohmann::json run_ev = {{"product", best->product},
                           {"processes", best->running_processes},
                           {"updater_running", best->updater_running}};
  if (best->daemon_answering) {
    run_ev["socket"] = best->socket;
    run_ev["daemon_answering"] = *best->daemon_answering;
    run_ev["daemon_version"] = best->daemon_version;
  }
  if (!best->running)
    out.push_back(make_finding("av.running", Status::fail, Severity::critical,
                               best->name + " is installed but its daemon is not running", run_ev));
  else if (best->daemon_answering && !*best->daemon_answering)
    out.push_back(make_finding("av.running", Status::fail, Severity::high,
                               best->name + " is running but does not answer on " + best->socket,
                               run_ev));
  else
    out.push_back(make_finding("av.running", Status::pass, Severity::info,
                               best->name + " is running", run_ev));

  nlohmann::json sig_ev = {{"product", best->product},
                           {"database_dir", best->database_dir},
                           {"databases", best->databases},
                           {"max_age_days", policy.signature_max_age_days}};
  if (best->signature_format == "none") {
    out.push_back(make_finding(
        "av.signatures_fresh", Status::not_applicable, Severity::info,
        best->name + ": signature age cannot be read (not publicly documented)", sig_ev));
  } else if (!best->signature_time) {
    out.push_back(make_finding(
        "av.signatures_fresh", Status::fail, Severity::critical,
        "no signature database found in " +
            (best->database_dir.empty() ? std::string("(unknown)") : best->database_dir),
        sig_ev));
  } else {
    int64_t age_days = (now_s - *best->signature_time) / 86400;
    sig_ev["signature_time"] = format_time_utc(*best->signature_time * 1000);
    sig_ev["signature_version"] = best->signature_version;
    sig_ev["age_days"] = age_days;
    if (age_days > policy.signature_max_age_days)
      out.push_back(make_finding("av.signatures_fresh", Status::fail, Severity::high,
                                 best->name + " signatures are " + std::to_string(age_days) +
                                     " days old (limit " +
                                     std::to_string(policy.signature_max_age_days) + ")",
                                 sig_ev));
    else
      out.push_back(make_finding(
          "av.signatures_fresh", Status::pass, Severity::info,
          best->name + " signatures are " + std::to_string(age_days) + " day(s) old", sig_ev));
  }
  return out;
}

Finding evaluate_policy_entries(const AntivirusPolicy& policy,
                                const std::vector<std::string>& refused_entries,
                                const std::vector<AntivirusFacts>& facts) {
  std::vector<std::string> refused = refused_entries;
  for (const auto& f : facts)
    for (const auto& why : f.refused) refused.push_back(f.product + ": " + why);
  size_t added = policy.extra_products.is_array() ? policy.extra_products.size() : 0;
  if (refused.empty() && added == 0)
    return make_finding("av.policy_entries", Status::not_applicable, Severity::info,
                        "policy adds no antivirus entries");
  if (refused.empty())
    return make_finding("av.policy_entries", Status::pass, Severity::info,
                        std::to_string(added) + " antivirus entries from policy in use",
                        {{"entries", added}});
  std::string summary = "refused from policy: " + refused.front();
  if (refused.size() > 1) summary += " (and " + std::to_string(refused.size() - 1) + " more)";
  return make_finding("av.policy_entries", Status::error, Severity::medium, summary,
                      {{"refused", refused}});
}

}  // namespace warden::agent
