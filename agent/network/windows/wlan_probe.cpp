// Wi-Fi and hotspots through the WLAN API and the service manager (agent/network/wlan.hpp
// interprets): each Wi-Fi adapter's state and current connection (WlanEnumInterfaces,
// WlanQueryInterface(current_connection)), the hosted network (WlanHostedNetworkQueryStatus), and
// the Mobile Hotspot service (icssvc). wlanapi.dll is loaded at run time: Windows Server without
// the Wireless LAN feature has none, and a static import would stop the agent from starting there.
// Every failing call is recorded in `wireless_errors` with the system's text; the adapters
// themselves still come from GetAdaptersAddresses, so the Wi-Fi check never depends on this.
// clang-format off
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>
#include <wlanapi.h>
// clang-format on
#undef interface  // <basetyps.h>: "#define interface struct" clashes with the facts' `interface`

#include <algorithm>
#include <exception>
#include <iterator>
#include <string>

#include "agent/network/windows/windows_network_probe.hpp"
#include "agent/network/wlan.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

// Not in MinGW-w64 10's wlanapi.h (from the Windows SDK's; only the fields read here are used,
// the layout is the SDK's).
enum WardenHostedNetworkState : int { kHostedUnavailable, kHostedIdle, kHostedActive };
struct WardenHostedNetworkStatus {
  WardenHostedNetworkState HostedNetworkState;
  GUID IPDeviceID;
  UCHAR wlanHostedNetworkBSSID[6];
  DOT11_PHY_TYPE dot11PhyType;
  ULONG ulChannelFrequency;
  DWORD dwNumberOfPeers;
  // WLAN_HOSTED_NETWORK_PEER_STATE PeerList[1] follows
};

using OpenHandleFn = DWORD(WINAPI*)(DWORD, PVOID, PDWORD, PHANDLE);
using CloseHandleFn = DWORD(WINAPI*)(HANDLE, PVOID);
using EnumInterfacesFn = DWORD(WINAPI*)(HANDLE, PVOID, PWLAN_INTERFACE_INFO_LIST*);
using QueryInterfaceFn = DWORD(WINAPI*)(HANDLE, const GUID*, WLAN_INTF_OPCODE, PVOID, PDWORD,
                                        PVOID*, PWLAN_OPCODE_VALUE_TYPE);
using HostedStatusFn = DWORD(WINAPI*)(HANDLE, WardenHostedNetworkStatus**, PVOID);
using FreeMemoryFn = VOID(WINAPI*)(PVOID);

template <typename Fn>
Fn symbol(HMODULE m, const char* name) {
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(m, name)));
}

std::string call_error(const char* call, DWORD code) {
  return std::string(call) + ": " + win32::error_text(code);
}

void probe_wlan(NetworkFacts& facts) {
  HMODULE lib = LoadLibraryExW(L"wlanapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (lib == nullptr) {
    facts.wireless_errors.push_back(call_error("LoadLibrary(wlanapi.dll)", GetLastError()));
    return;
  }
  auto open = symbol<OpenHandleFn>(lib, "WlanOpenHandle");
  auto close = symbol<CloseHandleFn>(lib, "WlanCloseHandle");
  auto enumerate = symbol<EnumInterfacesFn>(lib, "WlanEnumInterfaces");
  auto query = symbol<QueryInterfaceFn>(lib, "WlanQueryInterface");
  auto hosted = symbol<HostedStatusFn>(lib, "WlanHostedNetworkQueryStatus");
  auto free_memory = symbol<FreeMemoryFn>(lib, "WlanFreeMemory");
  if (!open || !close || !enumerate || !query || !free_memory) {
    facts.wireless_errors.push_back("wlanapi.dll lacks WlanOpenHandle/WlanEnumInterfaces");
    FreeLibrary(lib);
    return;
  }
  DWORD negotiated = 0;
  HANDLE h = nullptr;
  if (DWORD rc = open(2, nullptr, &negotiated, &h); rc != ERROR_SUCCESS) {
    facts.wireless_errors.push_back(call_error("WlanOpenHandle", rc));
    FreeLibrary(lib);
    return;
  }
  PWLAN_INTERFACE_INFO_LIST list = nullptr;
  if (DWORD rc = enumerate(h, nullptr, &list); rc != ERROR_SUCCESS) {
    facts.wireless_errors.push_back(call_error("WlanEnumInterfaces", rc));
  } else if (list != nullptr) {
    DWORD n = std::min<DWORD>(list->dwNumberOfItems, 64);
    for (DWORD k = 0; k < n; ++k) {
      const WLAN_INTERFACE_INFO& info = list->InterfaceInfo[k];
      WlanInterfaceRaw raw;
      raw.description =
          win32::utf8(info.strInterfaceDescription, std::size(info.strInterfaceDescription));
      raw.state = static_cast<uint32_t>(info.isState);
      if (info.isState == wlan_interface_state_connected) {
        DWORD size = 0;
        PVOID data = nullptr;
        DWORD rc = query(h, &info.InterfaceGuid, wlan_intf_opcode_current_connection, nullptr,
                         &size, &data, nullptr);
        if (rc == ERROR_SUCCESS && data != nullptr && size >= sizeof(WLAN_CONNECTION_ATTRIBUTES)) {
          const auto* c = static_cast<const WLAN_CONNECTION_ATTRIBUTES*>(data);
          const auto& a = c->wlanAssociationAttributes;
          raw.has_connection = true;
          raw.ssid.assign(reinterpret_cast<const char*>(a.dot11Ssid.ucSSID),
                          sizeof a.dot11Ssid.ucSSID);
          raw.ssid_length = a.dot11Ssid.uSSIDLength;
          raw.bssid.assign(reinterpret_cast<const char*>(a.dot11Bssid), 6);
          raw.bss_type = static_cast<uint32_t>(a.dot11BssType);
          raw.auth = static_cast<uint32_t>(c->wlanSecurityAttributes.dot11AuthAlgorithm);
          raw.signal_quality = a.wlanSignalQuality;
        } else if (rc != ERROR_SUCCESS) {
          facts.wireless_errors.push_back(call_error("WlanQueryInterface(current_connection)", rc));
        }
        if (data != nullptr) free_memory(data);
      }
      facts.wlan.push_back(wlan_connection_fact(raw));
    }
    free_memory(list);
  }
  if (hosted == nullptr) {
    facts.wireless_errors.push_back("wlanapi.dll lacks WlanHostedNetworkQueryStatus");
  } else {
    WardenHostedNetworkStatus* status = nullptr;
    if (DWORD rc = hosted(h, &status, nullptr); rc != ERROR_SUCCESS)
      facts.wireless_errors.push_back(call_error("WlanHostedNetworkQueryStatus", rc));
    else if (status != nullptr)
      facts.hotspots.push_back(hosted_network_fact(
          static_cast<uint32_t>(status->HostedNetworkState), status->dwNumberOfPeers));
    if (status != nullptr) free_memory(status);
  }
  close(h, nullptr);
  FreeLibrary(lib);
}

// Mobile Hotspot (Windows 10+): Windows starts the icssvc service while it is on. Absent (older
// Windows, servers) is not an error: there is no Mobile Hotspot to turn on.
void probe_mobile_hotspot(NetworkFacts& facts) {
  SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (scm == nullptr) {
    facts.wireless_errors.push_back(call_error("OpenSCManagerW", GetLastError()));
    return;
  }
  SC_HANDLE svc = OpenServiceW(scm, L"icssvc", SERVICE_QUERY_STATUS);
  if (svc == nullptr) {
    DWORD err = GetLastError();
    if (err != ERROR_SERVICE_DOES_NOT_EXIST)
      facts.wireless_errors.push_back(call_error("OpenServiceW(icssvc)", err));
    CloseServiceHandle(scm);
    return;
  }
  SERVICE_STATUS st{};
  if (QueryServiceStatus(svc, &st))
    facts.hotspots.push_back(mobile_hotspot_fact(st.dwCurrentState));
  else
    facts.wireless_errors.push_back(call_error("QueryServiceStatus(icssvc)", GetLastError()));
  CloseServiceHandle(svc);
  CloseServiceHandle(scm);
}

}  // namespace

void probe_wireless(NetworkFacts& facts) {
  facts.wireless_probed = true;
  try {
    probe_wlan(facts);
  } catch (const std::exception& e) {
    facts.wireless_errors.push_back(std::string("WLAN: ") + e.what());
  }
  try {
    probe_mobile_hotspot(facts);
  } catch (const std::exception& e) {
    facts.wireless_errors.push_back(std::string("Mobile Hotspot: ") + e.what());
  }
}

}  // namespace warden::agent
