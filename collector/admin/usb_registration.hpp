// Registering a removable drive, the service's part: what a registration must hold before the
// registry repository stores it, and what the admin is warned about afterwards.
#pragma once

#include <string>
#include <vector>

#include "collector/storage/domain/usb_drive.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

// The drive to register, checked and normalised (IDs lower-case hex, class classified or
// general, serial and owner printable); throws Failure(invalid) naming what is wrong. The
// registration time and who registered it are the repository's to fill in.
domain::UsbDrive usb_drive_to_register(const v1::UsbDevice& request);

// Warnings for the admin: a serial that looks generic, or one other models share.
std::vector<std::string> usb_registration_warnings(const domain::UsbRegistration& registration);

}  // namespace warden::collector
