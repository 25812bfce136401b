// The Windows antivirus probe: Security Center (IWSCProductList, root\SecurityCenter2 as the
// fallback), Defender's own status (MSFT_MpComputerStatus) and running processes, interpreted by
// windows_antivirus_facts() (agent/antivirus/windows_av.hpp).
#pragma once

#include "agent/antivirus/antivirus_probe.hpp"

namespace warden::agent {

class WindowsAntivirusProbe : public AntivirusProbe {
 public:
  // The Linux catalogue (ClamAV, ...) does not apply on Windows; the Windows catalogue does.
  std::vector<AntivirusFacts> collect(const std::vector<AntivirusProduct>& catalog) override;
};

}  // namespace warden::agent
