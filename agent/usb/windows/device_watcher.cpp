#include "agent/usb/windows/device_watcher.hpp"

// clang-format off
#include <windows.h>
#include <initguid.h>
#include <cfgmgr32.h>
#include <usbiodef.h>
// clang-format on

#include <boost/asio/post.hpp>

#include <stdexcept>

#include "agent/usb/usb_arrivals.hpp"
#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::agent {

namespace {

using RegisterFn = CONFIGRET(WINAPI*)(PCM_NOTIFY_FILTER, PVOID, PCM_NOTIFY_CALLBACK,
                                      PHCMNOTIFICATION);
using UnregisterFn = CONFIGRET(WINAPI*)(HCMNOTIFICATION);

DWORD CALLBACK on_notification(HCMNOTIFICATION, PVOID context, CM_NOTIFY_ACTION action,
                               PCM_NOTIFY_EVENT_DATA, DWORD) {
  if (action == CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL ||
      action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL)
    static_cast<DeviceArrivalWatcher*>(context)->changed();
  return ERROR_SUCCESS;
}

}  // namespace

DeviceArrivalWatcher::~DeviceArrivalWatcher() {
  stop();
}

void DeviceArrivalWatcher::start(boost::asio::io_context& io, EventSink sink) {
  HMODULE lib = GetModuleHandleW(L"cfgmgr32.dll");
  if (lib == nullptr) lib = LoadLibraryExW(L"cfgmgr32.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (lib == nullptr)
    throw std::runtime_error("cfgmgr32.dll cannot be loaded (error " +
                             std::to_string(GetLastError()) + ")");
  auto reg = reinterpret_cast<RegisterFn>(
      reinterpret_cast<void*>(GetProcAddress(lib, "CM_Register_Notification")));
  auto unreg = reinterpret_cast<UnregisterFn>(
      reinterpret_cast<void*>(GetProcAddress(lib, "CM_Unregister_Notification")));
  if (reg == nullptr || unreg == nullptr)
    throw std::runtime_error(
        "cfgmgr32.dll has no CM_Register_Notification (Windows 8 and later; not in Wine 8)");
  io_ = &io;
  sink_ = std::move(sink);
  alive_ = std::make_shared<bool>(true);
  coalesce_ = std::make_unique<boost::asio::steady_timer>(io);
  for (const auto& d : probe_->collect())
    if (!d.syspath.empty()) known_[d.syspath] = d;
  CM_NOTIFY_FILTER filter{};
  filter.cbSize = sizeof filter;
  filter.FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE;
  filter.u.DeviceInterface.ClassGuid = GUID_DEVINTERFACE_USB_DEVICE;
  HCMNOTIFICATION h = nullptr;
  if (CONFIGRET cr = reg(&filter, this, on_notification, &h); cr != CR_SUCCESS) {
    alive_.reset();
    throw std::runtime_error("CM_Register_Notification(GUID_DEVINTERFACE_USB_DEVICE): CONFIGRET " +
                             std::to_string(cr));
  }
  registration_ = h;
  unregister_ = reinterpret_cast<void*>(unreg);
}

void DeviceArrivalWatcher::changed() {
  if (pending_.exchange(true) || io_ == nullptr) return;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(*io_, [this, alive] {
    if (alive.expired()) return;
    coalesce_->expires_after(std::chrono::milliseconds(500));
    coalesce_->async_wait([this, alive](const boost::system::error_code& ec) {
      if (!ec && !alive.expired()) emit();
    });
  });
}

void DeviceArrivalWatcher::emit() {
  pending_ = false;
  try {
    auto changes = usb_changes(known_, probe_->collect());
    for (auto& ev : usb_change_events(changes, *probe_, history_.get(), policy_, now_ms()))
      sink_(std::move(ev));
  } catch (const std::exception& e) {
    LOG_WARN("usb", "cannot collect USB devices after a device notification: " << e.what());
  } catch (...) {
    LOG_WARN("usb", "cannot collect USB devices after a device notification (unknown failure)");
  }
}

void DeviceArrivalWatcher::stop() {
  // CM_Unregister_Notification waits for a running callback; none runs after it.
  if (registration_ != nullptr && unregister_ != nullptr)
    reinterpret_cast<UnregisterFn>(unregister_)(static_cast<HCMNOTIFICATION>(registration_));
  registration_ = nullptr;
  alive_.reset();
  if (coalesce_) coalesce_->cancel();
}

}  // namespace warden::agent
