// The Windows hygiene probe: Windows Defender Firewall's profiles (INetFwPolicy2), the screen-saver
// values and policies of the machine and of every loaded user hive, NetShareEnum,
// NetUserModalsGet/NetUserEnum, Remote Desktop and AutoRun, interpreted by windows_hygiene.hpp.
// Each group is read on its own: a failing call becomes that group's `error` (the API's own
// error text), the other groups still answer.
#pragma once

#include "agent/hygiene/hygiene_probe.hpp"

namespace warden::agent {

class WindowsHygieneProbe : public HygieneProbe {
 public:
  HygieneFacts collect() override;
};

}  // namespace warden::agent
