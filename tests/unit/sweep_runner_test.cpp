#include <catch2/catch.hpp>

#include <stdexcept>

#include "agent/sweep_runner.hpp"

using namespace warden;
using namespace warden::agent;

namespace {
// Test doubles for the module interface itself: what is under test is the runner's handling.
class FixedModule : public CheckModule {
 public:
  std::string name() const override { return "fixed"; }
  std::vector<std::string> check_ids() const override { return {"x.one", "x.two"}; }
  ModuleResult run(const AgentPolicy&) override {
    ModuleResult r;
    r.facts = {{"value", 42}};
    r.findings.push_back(make_finding("x.one", Status::fail, Severity::high, "bad"));
    r.findings.push_back(make_finding("x.two", Status::pass, Severity::info, "good"));
    return r;
  }
};
class ThrowingModule : public CheckModule {
 public:
  std::string name() const override { return "broken"; }
  // Real catalogue IDs: the runner renders the catalogue's probe_failed summary for each.
  std::vector<std::string> check_ids() const override {
    return {"host.firewall", "auth.empty_password"};
  }
  ModuleResult run(const AgentPolicy&) override {
    throw std::runtime_error("cannot open /nowhere");
  }
};
}  // namespace

TEST_CASE("a throwing module becomes error findings and does not stop the sweep") {
  std::vector<std::unique_ptr<CheckModule>> mods;
  mods.push_back(std::make_unique<ThrowingModule>());
  mods.push_back(std::make_unique<FixedModule>());
  auto r = run_sweep(mods, AgentPolicy{});
  REQUIRE(r.findings.size() == 4);
  CHECK(r.findings[0].check == "host.firewall");
  CHECK(r.findings[0].summary_key == "probe_failed");
  CHECK(r.findings[0].status == Status::error);
  CHECK(r.findings[0].summary.find("cannot open /nowhere") != std::string::npos);
  CHECK(r.facts["fixed"]["value"] == 42);
  CHECK(r.facts["broken"]["error"] == "cannot open /nowhere");
  CHECK(r.finished_at_ms >= r.started_at_ms);
}

TEST_CASE("checks disabled by policy are not_applicable") {
  std::vector<std::unique_ptr<CheckModule>> mods;
  mods.push_back(std::make_unique<FixedModule>());
  AgentPolicy p;
  p.disabled_checks.insert("x.one");
  auto r = run_sweep(mods, p);
  CHECK(r.findings[0].status == Status::not_applicable);
  CHECK(r.findings[1].status == Status::pass);
}
