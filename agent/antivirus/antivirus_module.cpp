#include "agent/antivirus/antivirus_module.hpp"

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "agent/antivirus/antivirus_checks.hpp"
#include "common/files.hpp"

namespace warden::embedded {
extern const std::string_view antivirus_catalog_json;  // deploy/antivirus-catalog.json
}

namespace warden::agent {

ModuleResult AntivirusModule::run(const AgentPolicy& policy) {
  // No catalogue path: the copy compiled into this binary (a build tree, a PC without the data
  // package); a path given or installed must exist.
  std::optional<std::string> text;
  if (ctx_.catalog_path.empty())
    text = std::string(embedded::antivirus_catalog_json);
  else
    text = files::read_if_exists(ctx_.catalog_path, 4 << 20);
  const std::string where =
      ctx_.catalog_path.empty() ? "(compiled in)" : ctx_.catalog_path.string();
  if (!text) throw std::runtime_error("antivirus catalog " + where + " is missing");
  auto catalog = nlohmann::json::parse(*text, nullptr, false);
  if (catalog.is_discarded())
    throw std::runtime_error("antivirus catalog " + where + " is not valid JSON");
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
