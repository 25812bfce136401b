// probe_host_info on Linux: os-release, machine-id, uname(2).
#include <sys/utsname.h>

#include "agent/host/host_info_probe.hpp"
#include "common/files.hpp"
#include "common/text.hpp"

namespace warden::agent {

HostInfoFacts probe_host_info(const std::filesystem::path& root) {
  HostInfoFacts f;
  auto os_release = files::read_if_exists(root / "etc/os-release");
  if (!os_release) os_release = files::read_if_exists(root / "usr/lib/os-release");
  if (os_release) {
    f.os_id = os_release_value(*os_release, "ID");
    f.os_name = os_release_value(*os_release, "PRETTY_NAME");
    f.os_version = os_release_value(*os_release, "VERSION_ID");
  }
  f.machine_id = text::trim(files::read_if_exists(root / "etc/machine-id", 256).value_or(""));
  if (root == "/") {
    struct utsname u {};
    if (uname(&u) == 0) {
      f.hostname = u.nodename;
      f.kernel = u.release;
      f.arch = u.machine;
    }
  } else {
    f.hostname = text::trim(files::read_if_exists(root / "etc/hostname", 256).value_or(""));
    f.kernel =
        text::trim(files::read_if_exists(root / "proc/sys/kernel/osrelease", 256).value_or(""));
  }
  return f;
}

}  // namespace warden::agent
