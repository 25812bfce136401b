// clang-format off
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
// clang-format on
#undef interface  // <basetyps.h>: "#define interface struct" clashes with RouteFact::interface

#include <set>
#include <vector>

#include "agent/network/windows/windows_network_probe.hpp"
#include "agent/network/windows_adapter_kind.hpp"
#include "common/win32.hpp"

namespace warden::agent {

namespace {

std::string mac_text(const BYTE* bytes, ULONG len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (ULONG i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string ip_text(const SOCKET_ADDRESS& sa) {
  if (sa.lpSockaddr == nullptr) return {};
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa.lpSockaddr->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(sa.lpSockaddr);
    if (!inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) return {};
  } else if (sa.lpSockaddr->sa_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa.lpSockaddr);
    if (!inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf)) return {};
  } else {
    return {};
  }
  return buf;
}

std::string family_of(const SOCKET_ADDRESS& sa) {
  return sa.lpSockaddr && sa.lpSockaddr->sa_family == AF_INET6 ? "inet6" : "inet";
}

// The adapter list; GetAdaptersAddresses asks for a bigger buffer when adapters appear meanwhile.
std::vector<unsigned char> adapters_buffer() {
  const ULONG flags = GAA_FLAG_INCLUDE_GATEWAYS | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST;
  ULONG size = 16 * 1024;
  std::vector<unsigned char> buf;
  for (int attempt = 0; attempt < 4; ++attempt) {
    buf.assign(size, 0);
    ULONG rc = GetAdaptersAddresses(AF_UNSPEC, flags, nullptr,
                                    reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()), &size);
    if (rc == ERROR_SUCCESS) return buf;
    if (rc == ERROR_NO_DATA) return {};
    if (rc != ERROR_BUFFER_OVERFLOW) win32::fail("GetAdaptersAddresses", rc);
  }
  win32::fail("GetAdaptersAddresses (the adapter list kept growing)", ERROR_BUFFER_OVERFLOW);
}

std::string computer_name() {
  wchar_t buf[256];
  DWORD n = sizeof buf / sizeof buf[0];
  if (!GetComputerNameExW(ComputerNameDnsHostname, buf, &n))
    win32::fail("GetComputerNameExW(ComputerNameDnsHostname)", GetLastError());
  return win32::utf8(std::wstring_view(buf, n));
}

}  // namespace

NetworkFacts WindowsNetworkProbe::collect() {
  NetworkFacts facts;
  auto buf = adapters_buffer();
  std::set<std::string> dns_seen;
  for (auto* a = buf.empty() ? nullptr : reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()); a;
       a = a->Next) {
    InterfaceFact i;
    i.name = win32::utf8(a->FriendlyName, 256);
    i.ifindex = static_cast<int>(a->IfIndex ? a->IfIndex : a->Ipv6IfIndex);
    i.mac = mac_text(a->PhysicalAddress, std::min<ULONG>(a->PhysicalAddressLength, 32));
    i.driver = win32::utf8(a->Description, 256);
    i.kind = classify_windows_adapter(a->IfType, i.driver);
    i.up = a->OperStatus == IfOperStatusUp;
    for (auto* u = a->FirstUnicastAddress; u; u = u->Next) {
      std::string ip = ip_text(u->Address);
      if (!ip.empty())
        i.addresses.push_back({family_of(u->Address), ip, static_cast<int>(u->OnLinkPrefixLength)});
    }
    for (auto* g = a->FirstGatewayAddress; g; g = g->Next) {
      RouteFact r;
      r.interface = i.name;
      r.gateway = ip_text(g->Address);
      r.family = family_of(g->Address);
      r.metric = static_cast<int>(r.family == "inet6" ? a->Ipv6Metric : a->Ipv4Metric);
      facts.default_routes.push_back(r);
    }
    for (auto* d = a->FirstDnsServerAddress; d; d = d->Next) {
      std::string ip = ip_text(d->Address);
      // Windows lists fec0:0:0:ffff::1/2/3 (site-local placeholders) on adapters with no IPv6 DNS.
      if (ip.empty() || ip.rfind("fec0:0:0:ffff::", 0) == 0) continue;
      if (dns_seen.insert(ip).second) facts.dns_servers.push_back(ip);
    }
    facts.interfaces.push_back(std::move(i));
  }
  facts.hostname = computer_name();
  probe_wireless(facts);
  return clean_network_facts(std::move(facts));
}

}  // namespace warden::agent
