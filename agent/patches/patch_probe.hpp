// Package state through libapt-pkg (the library apt itself uses): installed packages, pending
// upgrades with candidates and origins, security classification, holds, what `apt-get upgrade`
// would do; plus update/install times from apt/dpkg state files and reboot state.
//
// libapt-pkg keeps process-wide configuration (_config, _system): the probe sets it up for each
// run and is only ever called from the agent's single sweep thread.
#pragma once

#include <map>
#include <string>

#include "agent/check_module.hpp"
#include "agent/patches/patch_facts.hpp"
#include "common/agent_policy.hpp"

namespace warden::agent {

class PatchProbe {
 public:
  virtual ~PatchProbe() = default;
  virtual PatchFacts collect(const PatchPolicy& policy) = 0;
};

#ifndef _WIN32
struct AptOptions {
  // Extra libapt-pkg configuration (tests point Dir::State::status, Dir::State::Lists, ... at a
  // fixture directory); applied after the system configuration is read.
  std::map<std::string, std::string> config;
  std::string running_kernel;  // empty: uname -r
};

class DebianPatchProbe : public PatchProbe {
 public:
  DebianPatchProbe(ProbeContext ctx, AptOptions options = {})
      : ctx_(std::move(ctx)), options_(std::move(options)) {}
  PatchFacts collect(const PatchPolicy& policy) override;

 private:
  ProbeContext ctx_;
  AptOptions options_;
};
#endif

}  // namespace warden::agent
