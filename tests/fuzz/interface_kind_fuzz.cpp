// sysfs attributes of a network interface as read_sysfs_net_info parses them
// (agent/network/interface_kind.cpp): <if>/type (ARPHRD number) and <if>/uevent (DEVTYPE=).
// The input is split into those two files under a private fake root; whether <if>/wireless and
// <if>/device exist is taken from the input too.
// Invariants: reading never throws; DEVTYPE comes from a DEVTYPE= line, trimmed, one line; the
// classification is one of the documented kinds and follows the documented precedence.
#include <fuzzer/FuzzedDataProvider.h>
#include <net/if_arp.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "agent/network/interface_kind.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace fs = std::filesystem;
using namespace warden::agent;

namespace {

fs::path root;
fs::path dir;

void write(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

void present(const fs::path& p, bool yes) {
  if (yes)
    fs::create_directories(p);
  else
    fs::remove_all(p);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  root = fs::temp_directory_path() / ("warden-fuzz-ifkind-" + std::to_string(getpid()));
  dir = root / "sys/class/net/eth0";
  fs::create_directories(dir);
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(root, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const bool wireless = in.ConsumeBool(), device = in.ConsumeBool();
  const std::string type = in.ConsumeRandomLengthString(40);
  const std::string uevent = in.ConsumeRemainingBytesAsString();
  write(dir / "type", type);
  write(dir / "uevent", uevent);
  present(dir / "wireless", wireless);
  present(dir / "device", device);

  SysfsNetInfo info = read_sysfs_net_info(root, "eth0");
  FUZZ_CHECK(info.name == "eth0");
  FUZZ_CHECK(info.wireless == wireless);
  FUZZ_CHECK(info.has_device == device);
  FUZZ_CHECK(info.devtype.find('\n') == std::string::npos);
  if (!info.devtype.empty()) {
    FUZZ_CHECK(uevent.find("DEVTYPE=") != std::string::npos);
    FUZZ_CHECK(uevent.find(info.devtype) != std::string::npos);
    FUZZ_CHECK(info.devtype.front() != ' ' && info.devtype.back() != ' ');
  }

  static const std::set<std::string> kinds = {"ethernet", "wireless", "usb_network", "ppp",
                                              "virtual",  "loopback", "other"};
  const std::string kind = classify_interface(info);
  FUZZ_CHECK(kinds.count(kind) == 1);
  if (info.type == ARPHRD_LOOPBACK) FUZZ_CHECK(kind == "loopback");
  if (info.type != ARPHRD_LOOPBACK && info.type != ARPHRD_PPP &&
      (wireless || info.devtype == "wlan"))
    FUZZ_CHECK(kind == "wireless");
  if (kind == "ethernet") FUZZ_CHECK(device && info.type == ARPHRD_ETHER);
  return 0;
}
