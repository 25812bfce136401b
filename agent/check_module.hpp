// The narrow interface between platform probes and the rest of the agent.
//
// A CheckModule owns one domain (antivirus, patches, network, usb, host): its platform probe
// collects plain typed facts, a pure evaluator turns facts + policy into findings, and run()
// returns both. Modules never talk to the network or the outbox; the sweep runner and the daemon
// do. A module that throws is reported as `error` findings for each of its check IDs.
//
// An EventSource watches the system between sweeps (rtnetlink, udev) and reports what changed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/agent_policy.hpp"
#include "common/finding.hpp"

namespace warden::agent {

struct ModuleResult {
  nlohmann::json facts = nlohmann::json::object();
  std::vector<Finding> findings;
};

class CheckModule {
 public:
  virtual ~CheckModule() = default;
  // Key under which this module's facts appear in `check --json` and reports ("antivirus", ...).
  virtual std::string name() const = 0;
  // Every check ID this module can emit (used to report `error` when run() throws).
  virtual std::vector<std::string> check_ids() const = 0;
  virtual ModuleResult run(const AgentPolicy& policy) = 0;
};

struct AgentEvent {
  std::string kind;  // e.g. "usb.attached", "net.address_changed"
  int64_t at_ms = 0;
  nlohmann::json data = nlohmann::json::object();
  std::vector<Finding> findings;  // verdicts derived from the event, if any
};

using EventSink = std::function<void(AgentEvent)>;

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual std::string name() const = 0;
  // Starts watching, driven by `io` (no polling, no extra threads unless unavoidable). The sink
  // is called on the io thread. Throws if the watch cannot be set up.
  virtual void start(boost::asio::io_context& io, EventSink sink) = 0;
  virtual void stop() = 0;
  // Called on the io thread whenever the collector pushes a new policy.
  virtual void set_policy(const AgentPolicy& /*policy*/) {}
};

// Where probes look. Tests point `root` at a fixture tree; production uses "/".
struct ProbeContext {
  std::filesystem::path root = "/";
  std::filesystem::path state_dir;     // the agent's state dir (for local history files)
  std::filesystem::path catalog_path;  // antivirus product catalog (JSON)
};

}  // namespace warden::agent
