// The removable media registry between the admin API's messages and the registry repository's
// domain values.
#pragma once

#include "collector/storage/domain/usb_drive.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::UsbDevice to_message(const domain::UsbDrive& drive);
v1::UsbSighting to_message(const domain::UsbSighting& sighting);
v1::UsbHistoryResponse to_message(const domain::UsbDriveHistory& history);

}  // namespace warden::collector
