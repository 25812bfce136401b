#include "agent/antivirus/windows/windows_antivirus_probe.hpp"

#include <tlhelp32.h>

#include <stdexcept>

#include "agent/antivirus/windows_av.hpp"
#include "agent/platform/windows/com.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

// iwscapi.h is not in MinGW-w64 10: the two interfaces declared from the Windows SDK's header
// (both dual interfaces: IDispatch's methods first, then their own in header order).
const CLSID kClsidWscProductList = {
    0x17072f7b, 0x9abe, 0x4a74, {0xa2, 0x61, 0x1e, 0xb7, 0x6b, 0x55, 0x10, 0x7a}};
const IID kIidWscProductList = {
    0x722a338c, 0x6e8e, 0x4e72, {0xac, 0x27, 0x14, 0x17, 0xfb, 0x0c, 0x81, 0xc2}};
constexpr ULONG kWscSecurityProviderAntivirus = 0x4;

struct IWscProductRaw : public IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_ProductName(BSTR* v) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ProductState(int* v) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_SignatureStatus(int* v) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_RemediationPath(BSTR* v) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ProductStateTimestamp(BSTR* v) = 0;
};
struct IWscProductListRaw : public IDispatch {
  virtual HRESULT STDMETHODCALLTYPE Initialize(ULONG provider) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Count(LONG* v) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Item(ULONG index, IWscProductRaw** v) = 0;
};

std::vector<WscEntry> wsc_products() {
  win32::ComPtr<IWscProductListRaw> list;
  win32::check(CoCreateInstance(kClsidWscProductList, nullptr, CLSCTX_INPROC_SERVER,
                                kIidWscProductList, reinterpret_cast<void**>(list.put())),
               "Security Center CoCreateInstance(WSCProductList)");
  win32::check(list->Initialize(kWscSecurityProviderAntivirus),
               "Security Center IWSCProductList::Initialize");
  LONG count = 0;
  win32::check(list->get_Count(&count), "Security Center IWSCProductList::get_Count");
  std::vector<WscEntry> out;
  for (LONG i = 0; i < count && out.size() < kMaxWscProducts; ++i) {
    win32::ComPtr<IWscProductRaw> p;
    win32::check(list->get_Item(static_cast<ULONG>(i), p.put()),
                 "Security Center IWSCProductList::get_Item");
    win32::Bstr name, path;
    int state = -1, sig = -1;
    win32::check(p->get_ProductName(name.put()), "Security Center IWscProduct::get_ProductName");
    win32::check(p->get_ProductState(&state), "Security Center IWscProduct::get_ProductState");
    win32::check(p->get_SignatureStatus(&sig), "Security Center IWscProduct::get_SignatureStatus");
    (void)p->get_RemediationPath(path.put());  // optional: not every product sets one
    out.push_back({name.utf8(), path.utf8(), wsc_state_from_enums(state, sig), "wsc"});
  }
  return out;
}

std::vector<WscEntry> securitycenter2_products() {
  std::vector<WscEntry> out;
  win32::wmi_query(
      L"ROOT\\SecurityCenter2",
      L"SELECT displayName, productState, pathToSignedProductExe FROM AntiVirusProduct",
      [&](const win32::WmiRow& r) {
        auto state = r.integer(L"productState");
        if (!state || *state < 0 || *state > 0xFFFFFFFFLL) return;
        out.push_back({r.str(L"displayName").value_or(""),
                       r.str(L"pathToSignedProductExe").value_or(""),
                       decode_wsc_product_state(static_cast<uint32_t>(*state)), "securitycenter2"});
      },
      kMaxWscProducts);
  return out;
}

DefenderStatus defender_status() {
  std::optional<DefenderStatus> st;
  win32::wmi_query(
      L"ROOT\\Microsoft\\Windows\\Defender",
      L"SELECT AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureLastUpdated, "
      L"AntivirusSignatureAge, AntivirusSignatureVersion, FullScanEndTime FROM "
      L"MSFT_MpComputerStatus",
      [&](const win32::WmiRow& r) {
        DefenderStatus d;
        d.antivirus_enabled = r.boolean(L"AntivirusEnabled");
        d.real_time_protection = r.boolean(L"RealTimeProtectionEnabled");
        if (auto s = r.str(L"AntivirusSignatureLastUpdated"))
          d.signature_updated = parse_cim_datetime(*s);
        d.signature_age_days = r.integer(L"AntivirusSignatureAge");
        d.signature_version = r.str(L"AntivirusSignatureVersion").value_or("");
        if (auto s = r.str(L"FullScanEndTime")) d.full_scan_end = parse_cim_datetime(*s);
        st = d;
      },
      1);
  if (!st) throw std::runtime_error("WMI MSFT_MpComputerStatus: no instance");
  return *st;
}

std::vector<std::string> process_names() {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE) win32::fail("CreateToolhelp32Snapshot", GetLastError());
  std::vector<std::string> out;
  PROCESSENTRY32W e{};
  e.dwSize = sizeof e;
  for (BOOL ok = Process32FirstW(snap, &e); ok && out.size() < 65536; ok = Process32NextW(snap, &e))
    out.push_back(win32::utf8(e.szExeFile, MAX_PATH));
  DWORD err = GetLastError();
  CloseHandle(snap);
  if (out.empty()) win32::fail("Process32FirstW", err);
  return out;
}

}  // namespace

std::vector<AntivirusFacts> WindowsAntivirusProbe::collect(
    const std::vector<AntivirusProduct>& catalog) {
  win32::ComScope com;
  const auto processes = process_names();
  std::vector<WscEntry> wsc;
  std::string wsc_error;
  try {
    wsc = wsc_products();
  } catch (const std::exception& e) {
    wsc_error = e.what();
    try {
      wsc = securitycenter2_products();  // Windows 7 and 8.0 have no IWSCProductList
      wsc_error.clear();
    } catch (const std::exception& e2) {
      wsc_error += "; " + std::string(e2.what());
    }
  }
  std::optional<DefenderStatus> defender;
  std::string defender_error;
  try {
    defender = defender_status();
  } catch (const std::exception& e) {
    defender_error = e.what();
  }
  // Neither Security Center nor Defender answered: the antivirus state is unknown, not "none".
  if (!wsc_error.empty() && !defender) throw std::runtime_error(wsc_error + "; " + defender_error);
  auto facts = windows_antivirus_facts(wsc, defender, processes, defender_error);
  if (!wsc_error.empty())
    for (auto& f : facts) f.notes.push_back("Security Center: " + wsc_error);
  // Products policy adds (antivirus.extra_products) describe Linux footprints (packages, POSIX
  // paths, clamd.conf): not used here, and av.policy_entries says so instead of "in use".
  for (const auto& p : catalog) {
    if (!p.from_policy) continue;
    AntivirusFacts f;
    f.product = p.id;
    f.name = p.name;
    f.footprint = p.footprint;
    f.refused.push_back(
        "not used on Windows: products are recognised through Security Center and the Windows "
        "catalogue");
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace warden::agent
