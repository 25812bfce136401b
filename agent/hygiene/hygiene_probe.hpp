// The hygiene probe interface. On Linux (linux/hygiene_probe.cpp) it reads the firewall's
// configuration and live nftables ruleset, system-wide dconf screen-lock settings, Samba shares and
// usershares, and passwd/shadow/login.defs under the probe root. On Windows
// (windows/hygiene_probe.cpp) Windows Defender Firewall's profiles, the screen-saver settings and
// policies, NetShareEnum, NetUserModalsGet/NetUserEnum, Remote Desktop and AutoRun, interpreted by
// windows_hygiene.hpp. A probe never throws for one group: it records the group's `error`.
#pragma once

#include "agent/check_module.hpp"
#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {

class HygieneProbe {
 public:
  virtual ~HygieneProbe() = default;
  virtual HygieneFacts collect() = 0;
};

#ifndef _WIN32
class LinuxHygieneProbe : public HygieneProbe {
 public:
  explicit LinuxHygieneProbe(ProbeContext ctx) : ctx_(std::move(ctx)) {}
  HygieneFacts collect() override;

 private:
  ProbeContext ctx_;
};
#endif

}  // namespace warden::agent
