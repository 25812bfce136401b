#include "agent/host/host_info_probe.hpp"

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
