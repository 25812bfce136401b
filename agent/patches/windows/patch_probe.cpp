#include "agent/patches/windows/windows_patch_probe.hpp"

#include <wuapi.h>

#include <ctime>

#include "agent/patches/wua_updates.hpp"
#include "agent/platform/windows/com.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

// CLSID_UpdateSession and CLSID_SystemInformation are not in MinGW-w64's wuapi.h.
const CLSID kClsidUpdateSession = {
    0x4cb43d7f, 0x7eee, 0x4906, {0x86, 0x98, 0x60, 0xda, 0x1c, 0x38, 0xf2, 0xfe}};
const CLSID kClsidSystemInformation = {
    0xc01b9ba0, 0xbea7, 0x41ba, {0xb6, 0x04, 0xd0, 0xa3, 0x6f, 0x46, 0x91, 0x33}};

std::vector<std::string> strings(IStringCollection* c) {
  std::vector<std::string> out;
  LONG n = 0;
  if (c == nullptr || FAILED(c->get_Count(&n))) return out;
  for (LONG i = 0; i < n && i < 32; ++i) {
    win32::Bstr s;
    if (SUCCEEDED(c->get_Item(i, s.put()))) out.push_back(s.utf8());
  }
  return out;
}

WuaUpdate read_update(IUpdate* u) {
  WuaUpdate w;
  win32::Bstr title, sev;
  win32::check(u->get_Title(title.put()), "Windows Update IUpdate::get_Title");
  w.title = title.utf8();
  if (SUCCEEDED(u->get_MsrcSeverity(sev.put()))) w.msrc_severity = sev.utf8();
  win32::ComPtr<IStringCollection> kbs;
  if (SUCCEEDED(u->get_KBArticleIDs(kbs.put()))) w.kb_ids = strings(kbs.get());
  win32::ComPtr<ICategoryCollection> cats;
  LONG n = 0;
  if (SUCCEEDED(u->get_Categories(cats.put())) && cats && SUCCEEDED(cats->get_Count(&n)))
    for (LONG i = 0; i < n && i < 16; ++i) {
      win32::ComPtr<ICategory> c;
      if (FAILED(cats->get_Item(i, c.put())) || !c) continue;
      win32::Bstr name, id;
      if (SUCCEEDED(c->get_Name(name.put()))) w.categories.push_back(name.utf8());
      if (SUCCEEDED(c->get_CategoryID(id.put()))) w.category_ids.push_back(id.utf8());
    }
  DATE d = 0;
  if (SUCCEEDED(u->get_LastDeploymentChangeTime(&d))) w.released = ole_date_to_unix(d);
  return w;
}

bool key_exists(const wchar_t* subkey) {
  HKEY k = nullptr;
  LSTATUS rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, subkey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k);
  if (rc == ERROR_SUCCESS) {
    RegCloseKey(k);
    return true;
  }
  if (rc == ERROR_FILE_NOT_FOUND) return false;
  win32::fail("RegOpenKeyExW HKLM\\" + win32::utf8(subkey), static_cast<DWORD>(rc));
}

}  // namespace

PatchFacts WindowsPatchProbe::collect(const PatchPolicy& /*policy*/) {
  win32::ComScope com;
  WuaState st;
  // Installed hotfixes, reboot markers and the WSUS server first: they do not depend on the update
  // service, and a failure of theirs is reported as such (not hidden behind a failed search).
  win32::wmi_query(
      L"ROOT\\CIMV2", L"SELECT HotFixID FROM Win32_QuickFixEngineering",
      [&](const win32::WmiRow& r) {
        if (auto id = r.str(L"HotFixID")) st.hotfixes.push_back(*id);
      },
      kMaxHotfixes);

  if (key_exists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto "
                 L"Update\\RebootRequired"))
    st.reboot_reasons.push_back("WindowsUpdate\\Auto Update\\RebootRequired");
  if (key_exists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based "
                 L"Servicing\\RebootPending"))
    st.reboot_reasons.push_back("Component Based Servicing\\RebootPending");
  st.server =
      win32::reg_string(HKEY_LOCAL_MACHINE,
                        L"SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate", L"WUServer")
          .value_or("");

  win32::ComPtr<IUpdateSession> session;
  win32::check(CoCreateInstance(kClsidUpdateSession, nullptr, CLSCTX_INPROC_SERVER,
                                __uuidof(IUpdateSession), reinterpret_cast<void**>(session.put())),
               "Windows Update CoCreateInstance(UpdateSession)");
  win32::ComPtr<IUpdateSearcher> searcher;
  win32::check(session->CreateUpdateSearcher(searcher.put()),
               "Windows Update IUpdateSession::CreateUpdateSearcher");
  win32::ComPtr<ISearchResult> result;
  win32::Bstr criteria(L"IsInstalled=0 and Type='Software' and IsHidden=0");
  win32::check(searcher->Search(criteria.get(), result.put()),
               "Windows Update IUpdateSearcher::Search(IsInstalled=0 and Type='Software')");
  st.searched = static_cast<int64_t>(std::time(nullptr));
  win32::ComPtr<IUpdateCollection> updates;
  win32::check(result->get_Updates(updates.put()), "Windows Update ISearchResult::get_Updates");
  LONG count = 0;
  win32::check(updates->get_Count(&count), "Windows Update IUpdateCollection::get_Count");
  for (LONG i = 0; i < count && st.pending.size() < kMaxWuaUpdates; ++i) {
    win32::ComPtr<IUpdate> u;
    win32::check(updates->get_Item(i, u.put()), "Windows Update IUpdateCollection::get_Item");
    st.pending.push_back(read_update(u.get()));
  }

  // The update agent's own reboot flag (set when an installed update waits for a restart).
  win32::ComPtr<ISystemInformation> sysinfo;
  win32::check(
      CoCreateInstance(kClsidSystemInformation, nullptr, CLSCTX_INPROC_SERVER,
                       __uuidof(ISystemInformation), reinterpret_cast<void**>(sysinfo.put())),
      "Windows Update CoCreateInstance(SystemInformation)");
  VARIANT_BOOL reboot = VARIANT_FALSE;
  win32::check(sysinfo->get_RebootRequired(&reboot),
               "Windows Update ISystemInformation::get_RebootRequired");
  if (reboot != VARIANT_FALSE)
    st.reboot_reasons.push_back("Windows Update Agent: ISystemInformation::RebootRequired");

  // The newest successful installation among the latest 200 history entries.
  LONG total = 0;
  win32::check(searcher->GetTotalHistoryCount(&total),
               "Windows Update IUpdateSearcher::GetTotalHistoryCount");
  if (total > 0) {
    win32::ComPtr<IUpdateHistoryEntryCollection> hist;
    win32::check(searcher->QueryHistory(0, total < 200 ? total : 200, hist.put()),
                 "Windows Update IUpdateSearcher::QueryHistory");
    LONG n = 0;
    win32::check(hist->get_Count(&n), "Windows Update IUpdateHistoryEntryCollection::get_Count");
    for (LONG i = 0; i < n; ++i) {
      win32::ComPtr<IUpdateHistoryEntry> e;
      if (FAILED(hist->get_Item(i, e.put())) || !e) continue;
      UpdateOperation op{};
      OperationResultCode rc{};
      DATE d = 0;
      if (FAILED(e->get_Operation(&op)) || FAILED(e->get_ResultCode(&rc)) ||
          FAILED(e->get_Date(&d)))
        continue;
      if (op != uoInstallation || (rc != orcSucceeded && rc != orcSucceededWithErrors)) continue;
      auto t = ole_date_to_unix(d);
      if (t && (!st.last_install || *t > *st.last_install)) st.last_install = t;
    }
  }

  return windows_patch_facts(st);
}

}  // namespace warden::agent
