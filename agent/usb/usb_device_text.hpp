// The strings of a USB device as the agent keeps and reports them.
//
// Everything a device says about itself (idVendor/idProduct, serial, manufacturer and product
// strings, interface strings) is attacker-controlled: a programmable gadget claims any bytes, of
// any length, in any encoding. The probe reads them raw and hands the device to
// clean_usb_device(), which is total and pure: it never throws, and afterwards every string is
// valid UTF-8 within its limit (cut on a character boundary), names a person reads carry no
// control characters, hex codes are lowercase hex digits, and the lists are bounded. Only the
// kernel-made syspath is kept as it is (deauthorization writes under it); JSON output replaces
// anything invalid there (common/json_text.hpp).
#pragma once

#include "agent/usb/usb_facts.hpp"

namespace warden::agent {

inline constexpr size_t kMaxUsbNameBytes = 128;      // serial, manufacturer, product
inline constexpr size_t kMaxUsbInterfaceBytes = 64;  // interface string, driver name
inline constexpr size_t kMaxUsbInterfaces = 32;      // a configuration has at most 32
inline constexpr size_t kMaxUsbBlockDevices = 64;    // partitions and mounts per device
inline constexpr size_t kMaxUsbPathBytes = 4096;     // device nodes, mount points

// Cleans every string and list of `raw` (as read from sysfs/udev) and classifies the device.
UsbDevice clean_usb_device(UsbDevice raw);

}  // namespace warden::agent
