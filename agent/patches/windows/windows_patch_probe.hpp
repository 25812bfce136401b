// The Windows patch probe: pending software updates through the Windows Update Agent
// (IUpdateSearcher), the installation history, installed hotfixes (Win32_QuickFixEngineering) and
// the reboot-pending markers, interpreted by windows_patch_facts() (agent/patches/wua_updates.hpp).
#pragma once

#include "agent/patches/patch_probe.hpp"

namespace warden::agent {

class WindowsPatchProbe : public PatchProbe {
 public:
  PatchFacts collect(const PatchPolicy& policy) override;
};

}  // namespace warden::agent
