// COM and WMI for the Windows probes: every call checked, every failure a std::runtime_error
// naming the call and the HRESULT's text ("WMI ConnectServer root\SecurityCenter2: Invalid
// namespace (HRESULT 0x8004100e)"), which the sweep runner turns into the domain's `error` finding.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <objbase.h>
#include <oleauto.h>
#include <wbemcli.h>
#include <windows.h>

#include <functional>
#include <optional>
#include <string>

namespace warden::win32 {

// "Class not registered (HRESULT 0x80040154)"; WMI's own codes (0x8004xxxx) by name where known.
std::string hresult_text(HRESULT hr);
// Throws std::runtime_error("<what>: <hresult_text(hr)>") when FAILED(hr).
void check(HRESULT hr, const std::string& what);

// COM initialised (multithreaded) on this thread for the object's lifetime, and the process-wide
// security set once (RPC_C_IMP_LEVEL_IMPERSONATE, which WMI needs). RPC_E_CHANGED_MODE (someone
// else initialised COM as STA) is accepted: COM is usable, just not uninitialised by us.
class ComScope {
 public:
  ComScope();
  ~ComScope();
  ComScope(const ComScope&) = delete;
  ComScope& operator=(const ComScope&) = delete;

 private:
  bool uninit_ = false;
};

// A COM pointer released on scope exit.
template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  ~ComPtr() { reset(); }
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T** put() {
    reset();
    return &p_;
  }
  void reset() {
    if (p_ != nullptr) p_->Release();
    p_ = nullptr;
  }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

// A BSTR freed on scope exit.
class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(const wchar_t* s) : b_(SysAllocString(s)) {}
  ~Bstr() { SysFreeString(b_); }
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  BSTR get() const { return b_; }
  BSTR* put() {
    SysFreeString(b_);
    b_ = nullptr;
    return &b_;
  }
  std::string utf8() const;  // bounded to 32768 UTF-16 units

 private:
  BSTR b_ = nullptr;
};

// One row of a WMI query result: typed reads of its properties (nullopt when the property is
// missing, NULL or of another type).
class WmiRow {
 public:
  explicit WmiRow(IWbemClassObject* o) : o_(o) {}
  std::optional<std::string> str(const wchar_t* name) const;
  std::optional<int64_t> integer(const wchar_t* name) const;  // any integer VARIANT type
  std::optional<bool> boolean(const wchar_t* name) const;

 private:
  IWbemClassObject* o_;
};

// Runs `wql` in namespace `ns` (e.g. L"ROOT\\SecurityCenter2") and calls `row` for each result (at
// most `max_rows`). Throws on any failure to connect or query.
void wmi_query(const wchar_t* ns, const wchar_t* wql, const std::function<void(const WmiRow&)>& row,
               size_t max_rows = 10000);

}  // namespace warden::win32
