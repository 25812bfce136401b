#include "agent/host/host_info_probe.hpp"

#include <sys/utsname.h>

#include <sstream>

#include "common/files.hpp"
#include "common/text.hpp"
#include "common/validate.hpp"
#include "common/version.hpp"

namespace warden::agent {

std::string os_release_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) != 0) continue;
    std::string v = text::trim(line.substr(key.size() + 1));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\\' && i + 1 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return {};
}

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

void to_proto(const HostInfoFacts& facts, v1::HostInfo* out) {
  // Host fields are read by people and checked by the collector (printable UTF-8 within
  // kMaxHostFieldBytes): a host name or os-release full of odd bytes must not lock the agent out.
  auto field = [](const std::string& v) {
    return text::printable(v, validate::kMaxHostFieldBytes);
  };
  std::string hostname = field(facts.hostname);
  out->set_hostname(hostname.empty() ? "unnamed" : hostname);
  out->set_os_id(field(facts.os_id));
  out->set_os_name(field(facts.os_name));
  out->set_os_version(field(facts.os_version));
  out->set_kernel(field(facts.kernel));
  out->set_arch(field(facts.arch));
  out->set_machine_id(field(facts.machine_id));
  out->set_agent_version(kVersion);
}

}  // namespace warden::agent
