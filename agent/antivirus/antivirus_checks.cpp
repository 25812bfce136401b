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
        make_finding("av.installed", st, sev, "none",
                     {{"catalog", known}, {"expected", "one catalog product installed"}}));
    out.push_back(make_finding("av.running", st, sev, "none"));
    out.push_back(make_finding("av.signatures_fresh", st, sev, "none"));
    return out;
  }
  const AntivirusFacts& p = *installed.front();
  // Prefer a product that is running, then one with signatures.
  const AntivirusFacts* best = installed.front();
  for (auto* f : installed)
    if (f->running && !best->running) best = f;
  out.push_back(
      make_finding("av.installed", Status::pass, Severity::info, "installed",
                   {{"name", p.name}, {"product", p.product}, {"evidence", p.installed_evidence}}));
  nlohmann::json run_ev = {{"name", best->name},
                           {"product", best->product},
                           {"processes", best->running_processes},
                           {"updater_running", best->updater_running}};
  if (best->daemon_answering) {
    run_ev["socket"] = best->socket;
    run_ev["daemon_answering"] = *best->daemon_answering;
    run_ev["daemon_version"] = best->daemon_version;
  }
  if (!best->running)
    out.push_back(
        make_finding("av.running", Status::fail, Severity::critical, "not_running", run_ev));
  else if (best->daemon_answering && !*best->daemon_answering)
    out.push_back(
        make_finding("av.running", Status::fail, Severity::high, "not_answering", run_ev));
  else
    out.push_back(make_finding("av.running", Status::pass, Severity::info, "running", run_ev));

  nlohmann::json sig_ev = {{"name", best->name},
                           {"product", best->product},
                           {"database_dir", best->database_dir},
                           {"databases", best->databases},
                           {"max_age_days", policy.signature_max_age_days}};
  if (best->signature_format == "none") {
    out.push_back(make_finding("av.signatures_fresh", Status::not_applicable, Severity::info,
                               "unreadable", sig_ev));
  } else if (!best->signature_time && best->signatures_up_to_date) {
    // Windows Security Center's verdict on a product that does not expose its signature age.
    sig_ev["source"] = best->source;
    if (*best->signatures_up_to_date) {
      sig_ev["wsc_signatures"] = "up_to_date";
      out.push_back(make_finding("av.signatures_fresh", Status::not_applicable, Severity::info,
                                 "unreadable", sig_ev));
    } else {
      sig_ev["wsc_signatures"] = "out_of_date";
      sig_ev["age_days"] = "unknown";
      out.push_back(
          make_finding("av.signatures_fresh", Status::fail, Severity::high, "stale", sig_ev));
    }
  } else if (!best->signature_time) {
    out.push_back(
        make_finding("av.signatures_fresh", Status::fail, Severity::critical, "missing", sig_ev));
  } else {
    int64_t age_days = (now_s - *best->signature_time) / 86400;
    sig_ev["signature_time"] = format_time_utc(*best->signature_time * 1000);
    sig_ev["signature_version"] = best->signature_version;
    sig_ev["age_days"] = age_days;
    if (age_days > policy.signature_max_age_days)
      out.push_back(
          make_finding("av.signatures_fresh", Status::fail, Severity::high, "stale", sig_ev));
    else
      out.push_back(
          make_finding("av.signatures_fresh", Status::pass, Severity::info, "fresh", sig_ev));
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
    return make_finding("av.policy_entries", Status::not_applicable, Severity::info, "none");
  if (refused.empty())
    return make_finding("av.policy_entries", Status::pass, Severity::info, "in_use",
                        {{"entries", added}});
  return make_finding("av.policy_entries", Status::error, Severity::medium, "refused",
                      {{"refused", refused}, {"more", refused.size() - 1}});
}

}  // namespace warden::agent
