// Identity facts about this PC: hostname, OS (from os-release), kernel, architecture, machine-id.
#pragma once

#include <filesystem>
#include <string>

#include "warden/v1/common.pb.h"

namespace warden::agent {

struct HostInfoFacts {
  std::string hostname;
  std::string os_id;
  std::string os_name;
  std::string os_version;
  std::string kernel;
  std::string arch;
  std::string machine_id;
};

// Reads os-release and machine-id below `root` (fixture trees in tests); hostname and kernel come
// from uname(2) when root is "/", else from <root>/etc/hostname and
// <root>/proc/sys/kernel/osrelease.
HostInfoFacts probe_host_info(const std::filesystem::path& root = "/");

// Parses os-release(5) text: KEY=value lines, optionally quoted.
std::string os_release_value(const std::string& text, const std::string& key);

void to_proto(const HostInfoFacts& facts, v1::HostInfo* out);

}  // namespace warden::agent
