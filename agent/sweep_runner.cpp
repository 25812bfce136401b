#include "agent/sweep_runner.hpp"

#include "common/catalog/check_catalog.hpp"

#include <exception>
#include <optional>

#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::agent {

SweepResult run_sweep(const std::vector<std::unique_ptr<CheckModule>>& modules,
                      const AgentPolicy& policy) {
  SweepResult result;
  result.started_at_ms = now_ms();
  for (const auto& module : modules) {
    ModuleResult r;
    std::optional<std::string> failure;
    try {
      r = module->run(policy);
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown failure";
    }
    if (failure) {
      LOG_WARN("sweep", "module " << module->name() << " failed: " << *failure);
      r = ModuleResult{};
      r.facts = {{"error", *failure}};
      for (const auto& id : module->check_ids())
        r.findings.push_back(make_finding(id, Status::error, Severity::medium,
                                          catalog::kProbeFailed,
                                          {{"module", module->name()}, {"error", *failure}}));
    }
    result.facts[module->name()] = std::move(r.facts);
    for (auto& f : r.findings) {
      if (!policy.check_enabled(f.check)) {
        f.status = Status::not_applicable;
        f.severity = Severity::info;
        f.evidence = nlohmann::json::object();
        set_summary(f, catalog::kDisabledByPolicy);
      }
      result.findings.push_back(std::move(f));
    }
  }
  result.finished_at_ms = now_ms();
  return result;
}

}  // namespace warden::agent
