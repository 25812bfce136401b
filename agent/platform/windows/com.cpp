#include "agent/platform/windows/com.hpp"

#include <cstdio>
#include <stdexcept>

#include "common/win32.hpp"

namespace warden::win32 {

namespace {

// Names of the codes these probes meet most (Wine's FormatMessage knows few of them).
const char* hresult_name(HRESULT hr) {
  switch (static_cast<uint32_t>(hr)) {
    case 0x80004001:
      return "E_NOTIMPL";
    case 0x80004002:
      return "E_NOINTERFACE";
    case 0x80070005:
      return "E_ACCESSDENIED";
    case 0x80040154:
      return "REGDB_E_CLASSNOTREG (class not registered)";
    case 0x800401F0:
      return "CO_E_NOTINITIALIZED";
    case 0x8024001E:
      return "WU_E_SERVICE_STOP (Windows Update service stopped)";
    case 0x8024402C:
      return "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED (update server name not resolved)";
    case 0x80244022:
      return "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL (update server unavailable)";
    case 0x80244010:
      return "WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS";
    case 0x80072EE2:
      return "WININET_E_TIMEOUT (update server timed out)";
    case 0x80041001:
      return "WBEM_E_FAILED";
    case 0x80041002:
      return "WBEM_E_NOT_FOUND";
    case 0x80041003:
      return "WBEM_E_ACCESS_DENIED";
    case 0x80041008:
      return "WBEM_E_INVALID_PARAMETER";
    case 0x80041010:
      return "WBEM_E_INVALID_CLASS";
    case 0x80041013:
      return "WBEM_E_PROVIDER_LOAD_FAILURE";
    case 0x80041017:
      return "WBEM_E_INVALID_QUERY";
    case 0x8004100C:
      return "WBEM_E_NOT_SUPPORTED";
    case 0x8004100E:
      return "WBEM_E_INVALID_NAMESPACE";
    default:
      return nullptr;
  }
}

struct VariantGuard {
  VARIANT v;
  VariantGuard() { VariantInit(&v); }
  ~VariantGuard() { VariantClear(&v); }
  VariantGuard(const VariantGuard&) = delete;
  VariantGuard& operator=(const VariantGuard&) = delete;
};

}  // namespace

std::string hresult_text(HRESULT hr) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08lx",
                static_cast<unsigned long>(static_cast<uint32_t>(hr)));
  std::string msg;
  {
    wchar_t* buf = nullptr;
    DWORD n = FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, static_cast<DWORD>(hr), MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
        reinterpret_cast<wchar_t*>(&buf), 0, nullptr);
    if (n > 0) msg = utf8(std::wstring_view(buf, n));
    if (buf != nullptr) LocalFree(buf);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r' || msg.back() == ' '))
      msg.pop_back();
  }
  if (const char* name = hresult_name(hr)) msg = msg.empty() ? name : name + (": " + msg);
  if (msg.empty()) msg = "unknown error";
  return msg + " (HRESULT " + code + ")";
}

void check(HRESULT hr, const std::string& what) {
  if (FAILED(hr)) throw std::runtime_error(what + ": " + hresult_text(hr));
}

ComScope::ComScope() {
  HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  if (hr == RPC_E_CHANGED_MODE) return;
  check(hr, "CoInitializeEx");
  uninit_ = true;
  hr = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT,
                            RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE, nullptr);
  if (FAILED(hr) && hr != RPC_E_TOO_LATE) {
    CoUninitialize();
    uninit_ = false;
    check(hr, "CoInitializeSecurity");
  }
}

ComScope::~ComScope() {
  if (uninit_) CoUninitialize();
}

std::string Bstr::utf8() const {
  if (b_ == nullptr) return {};
  UINT n = SysStringLen(b_);
  return win32::utf8(std::wstring_view(b_, n > 32768 ? 32768 : n));
}

std::optional<std::string> WmiRow::str(const wchar_t* name) const {
  VariantGuard g;
  if (FAILED(o_->Get(name, 0, &g.v, nullptr, nullptr)) || g.v.vt != VT_BSTR) return std::nullopt;
  UINT n = SysStringLen(g.v.bstrVal);
  return utf8(std::wstring_view(g.v.bstrVal, n > 32768 ? 32768 : n));
}

std::optional<int64_t> WmiRow::integer(const wchar_t* name) const {
  VariantGuard g;
  if (FAILED(o_->Get(name, 0, &g.v, nullptr, nullptr))) return std::nullopt;
  switch (g.v.vt) {
    case VT_I1:
      return g.v.cVal;
    case VT_UI1:
      return g.v.bVal;
    case VT_I2:
      return g.v.iVal;
    case VT_UI2:
      return g.v.uiVal;
    case VT_I4:
      return g.v.lVal;
    case VT_UI4:
      return g.v.ulVal;
    case VT_INT:
      return g.v.intVal;
    case VT_UINT:
      return g.v.uintVal;
    case VT_I8:
      return g.v.llVal;
    case VT_UI8:
      return g.v.ullVal > static_cast<ULONGLONG>(INT64_MAX) ? std::nullopt
                                                            : std::optional<int64_t>(g.v.ullVal);
    case VT_BSTR: {  // WMI returns 64-bit integers as strings
      std::string s = utf8(std::wstring_view(g.v.bstrVal, SysStringLen(g.v.bstrVal)));
      if (s.empty() || s.size() > 18) return std::nullopt;
      int64_t v = 0;
      for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
      }
      return v;
    }
    default:
      return std::nullopt;
  }
}

std::optional<bool> WmiRow::boolean(const wchar_t* name) const {
  VariantGuard g;
  if (FAILED(o_->Get(name, 0, &g.v, nullptr, nullptr)) || g.v.vt != VT_BOOL) return std::nullopt;
  return g.v.boolVal != VARIANT_FALSE;
}

void wmi_query(const wchar_t* ns, const wchar_t* wql, const std::function<void(const WmiRow&)>& row,
               size_t max_rows) {
  const std::string where = "WMI " + utf8(ns);
  ComPtr<IWbemLocator> locator;
  check(CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER, IID_IWbemLocator,
                         reinterpret_cast<void**>(locator.put())),
        "CoCreateInstance(WbemLocator)");
  ComPtr<IWbemServices> services;
  Bstr nsb(ns);
  check(locator->ConnectServer(nsb.get(), nullptr, nullptr, nullptr, 0, nullptr, nullptr,
                               services.put()),
        where + " ConnectServer");
  check(CoSetProxyBlanket(services.get(), RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, nullptr,
                          RPC_C_AUTHN_LEVEL_CALL, RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE),
        where + " CoSetProxyBlanket");
  ComPtr<IEnumWbemClassObject> rows;
  Bstr lang(L"WQL"), query(wql);
  check(services->ExecQuery(lang.get(), query.get(),
                            WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, nullptr,
                            rows.put()),
        where + " ExecQuery(" + utf8(wql) + ")");
  for (size_t n = 0; n < max_rows; ++n) {
    ComPtr<IWbemClassObject> obj;
    ULONG got = 0;
    HRESULT hr = rows->Next(30000, 1, obj.put(), &got);
    check(hr, where + " " + utf8(wql));
    if (hr == WBEM_S_TIMEDOUT) throw std::runtime_error(where + " " + utf8(wql) + ": timed out");
    if (got == 0) break;
    row(WmiRow(obj.get()));
  }
}

}  // namespace warden::win32
