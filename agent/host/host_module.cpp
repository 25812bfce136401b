#include "agent/host/host_module.hpp"

#include "agent/host/host_info_probe.hpp"

namespace warden::agent {

ModuleResult HostModule::run(const AgentPolicy& /*policy*/) {
  HostInfoFacts f = probe_host_info(ctx_.root);
  ModuleResult r;
  r.facts = {{"hostname", f.hostname},     {"os_id", f.os_id},   {"os_name", f.os_name},
             {"os_version", f.os_version}, {"kernel", f.kernel}, {"arch", f.arch},
             {"machine_id", f.machine_id}};
  return r;
}

}  // namespace warden::agent
