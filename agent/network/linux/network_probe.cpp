#include "agent/network/network_probe.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/utsname.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "agent/network/interface_kind.hpp"
#include "common/files.hpp"

namespace warden::agent {

namespace {

struct SockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct CacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
using Cache = std::unique_ptr<nl_cache, CacheDeleter>;

std::string ip_text(nl_addr* a) {
  if (!a) return {};
  char buf[INET6_ADDRSTRLEN] = {0};
  int family = nl_addr_get_family(a);
  if (family != AF_INET && family != AF_INET6) return {};
  inet_ntop(family, nl_addr_get_binary_addr(a), buf, sizeof buf);
  return buf;
}

std::string mac_text(nl_addr* a) {
  if (!a || nl_addr_get_len(a) != 6) return {};
  const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(a));
  char buf[18];
  snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return buf;
}

}  // namespace

NetworkFacts LinuxNetworkProbe::collect() {
  std::unique_ptr<nl_sock, SockDeleter> sk(nl_socket_alloc());
  if (!sk) throw std::runtime_error("cannot allocate a netlink socket");
  if (int err = nl_connect(sk.get(), NETLINK_ROUTE); err < 0)
    throw std::runtime_error(std::string("cannot open rtnetlink: ") + nl_geterror(err));
  nl_cache *links_raw = nullptr, *addrs_raw = nullptr, *routes_raw = nullptr;
  if (int err = rtnl_link_alloc_cache(sk.get(), AF_UNSPEC, &links_raw); err < 0)
    throw std::runtime_error(std::string("cannot list links: ") + nl_geterror(err));
  Cache links(links_raw);
  if (int err = rtnl_addr_alloc_cache(sk.get(), &addrs_raw); err < 0)
    throw std::runtime_error(std::string("cannot list addresses: ") + nl_geterror(err));
  Cache addrs(addrs_raw);
  if (int err = rtnl_route_alloc_cache(sk.get(), AF_UNSPEC, 0, &routes_raw); err < 0)
    throw std::runtime_error(std::string("cannot list routes: ") + nl_geterror(err));
  Cache routes(routes_raw);

  NetworkFacts facts;
  std::map<int, size_t> by_index;
  for (nl_object* o = nl_cache_get_first(links.get()); o; o = nl_cache_get_next(o)) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    InterfaceFact i;
    i.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
    i.ifindex = rtnl_link_get_ifindex(l);
    i.mac = mac_text(rtnl_link_get_addr(l));
    i.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
    auto sys = read_sysfs_net_info(ctx_.root, i.name);
    if (sys.type == 0) sys.type = static_cast<int>(rtnl_link_get_arptype(l));
    i.kind = classify_interface(sys);
    i.driver = sys.driver;
    i.devtype = sys.devtype;
    by_index[i.ifindex] = facts.interfaces.size();
    facts.interfaces.push_back(std::move(i));
  }
  for (nl_object* o = nl_cache_get_first(addrs.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    auto it = by_index.find(rtnl_addr_get_ifindex(a));
    if (it == by_index.end()) continue;
    std::string ip = ip_text(rtnl_addr_get_local(a));
    if (ip.empty()) continue;
    facts.interfaces[it->second].addresses.push_back(
        {rtnl_addr_get_family(a) == AF_INET6 ? "inet6" : "inet", ip,
         static_cast<int>(rtnl_addr_get_prefixlen(a))});
  }
  for (nl_object* o = nl_cache_get_first(routes.get()); o; o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    nl_addr* dst = rtnl_route_get_dst(r);
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_type(r) != RTN_UNICAST) continue;
    if (dst && nl_addr_get_prefixlen(dst) != 0) continue;
    for (int n = 0; n < rtnl_route_get_nnexthops(r); ++n) {
      auto* nh = rtnl_route_nexthop_n(r, n);
      RouteFact rf;
      auto it = by_index.find(rtnl_route_nh_get_ifindex(nh));
      rf.interface = it == by_index.end() ? std::string() : facts.interfaces[it->second].name;
      rf.gateway = ip_text(rtnl_route_nh_get_gateway(nh));
      rf.family = rtnl_route_get_family(r) == AF_INET6 ? "inet6" : "inet";
      rf.metric = static_cast<int>(rtnl_route_get_priority(r));
      facts.default_routes.push_back(rf);
    }
  }
  if (ctx_.root == "/") {
    struct utsname u {};
    if (uname(&u) == 0) facts.hostname = u.nodename;
  } else {
    facts.hostname = files::read_if_exists(ctx_.root / "etc/hostname", 256).value_or("");
    while (!facts.hostname.empty() &&
           std::isspace(static_cast<unsigned char>(facts.hostname.back())))
      facts.hostname.pop_back();
  }
  auto resolv = files::read_if_exists(ctx_.root / "etc/resolv.conf", 65536).value_or("");
  facts.dns_servers = parse_resolv_conf(resolv);
  // systemd-resolved's stub hides the real servers behind 127.0.0.53.
  if (facts.dns_servers.size() == 1 && facts.dns_servers[0] == "127.0.0.53")
    if (auto real = files::read_if_exists(ctx_.root / "run/systemd/resolve/resolv.conf", 65536))
      facts.dns_servers = parse_resolv_conf(*real);
  return clean_network_facts(std::move(facts));
}

}  // namespace warden::agent
