#include "agent/antivirus/antivirus_module.hpp"

#include <ctime>
#include <stdexcept>

#include "agent/antivirus/antivirus_checks.hpp"
#include "common/files.hpp"

namespace warden::agent {

ModuleResult AntivirusModule::run(const AgentPolicy& policy) {
  auto text = files::read_if_exists(ctx_.catalog_path, 4 << 20);
  if (!text)
    throw std::runtime_error("antivirus catalog " + ctx_.catalog_path.string() + " is missing");
  auto catalog = nlohmann::json::parse(*text, nullptr, false);
  if (catalog.is_discarded())
    throw std::runtime_error("antivirus catalog " + ctx_.catalog_path.string() +
                             " is not valid JSON");
  auto products = load_catalog(catalog, nlohmann::json());
  auto refused = merge_policy_products(products, policy.antivirus.extra_products);
  auto facts = probe_->collect(products);
  ModuleResult r;
  r.facts = to_json(facts);
  r.findings =
      evaluate_antivirus(facts, policy.antivirus, static_cast<int64_t>(std::time(nullptr)));
  r.findings.push_back(evaluate_policy_entries(policy.antivirus, refused, facts));
  return r;
}

}  // namespace warden::agent
