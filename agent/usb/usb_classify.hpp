// Pure classification of a USB device from its interfaces (and udev's MTP flag).
#pragma once

#include "agent/usb/usb_facts.hpp"

namespace warden::agent {

// storage (class 08) | mtp (MTP interface or ID_MTP_DEVICE) | ptp (06 still image) | network
// (CDC 02/0a, RNDIS e0/01/03 or ef/04/01, wireless controller e0, vendor ff with a usbnet driver)
// | hid (03) | hub (09) | other. A phone that offers both MTP and storage counts as mtp.
std::string classify_usb(const UsbDevice& d);
bool usb_is_storage(const UsbDevice& d);

}  // namespace warden::agent
