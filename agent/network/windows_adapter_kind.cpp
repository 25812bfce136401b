#include "agent/network/windows_adapter_kind.hpp"

#include "common/text.hpp"

namespace warden::agent {

std::string classify_windows_adapter(unsigned if_type, const std::string& description) {
  const std::string d = text::lower(description);
  switch (if_type) {
    case kIfTypeLoopback:
      return "loopback";
    case kIfTypeWireless:
      return "wireless";
    case kIfTypePpp:
      return "ppp";
    case kIfTypeTunnel:
      return "virtual";
    case kIfTypeWwanPp:
    case kIfTypeWwanPp2:
      return "usb_network";
    case kIfTypeEthernet:
      // RNDIS is the USB tethering protocol of Android phones and most 4G dongles.
      if (d.find("remote ndis") != std::string::npos || d.find("rndis") != std::string::npos)
        return "usb_network";
      // Hypervisor and VPN adapters also present themselves as Ethernet.
      for (const char* v : {"hyper-v", "virtualbox", "vmware", "tap-windows", "wireguard",
                            "virtual ethernet", "virtual adapter"})
        if (d.find(v) != std::string::npos) return "virtual";
      return "ethernet";
    default:
      return "other";
  }
}

}  // namespace warden::agent
